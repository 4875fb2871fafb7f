import type { ActivityDeps } from '../../activities/deps';
import { createFailureReportActivities } from '../../activities/turn/reportFailure';
import { nodeIdFor } from '../../domain/workflowContracts';
import { api, waitForTurn } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * A turn ends once. The streamed answer records the turn's last node and its end itself
 * (workflows/chatTurn.ts, `learnAfter`); when that activity is lost afterwards (every attempt
 * timed out on an overloaded worker), the workflow's failure path reports a failure of a turn
 * the person already saw complete. Under overload, concurrencyInvariants caught the result: an
 * error node in a turn marked completed, its answer turned into an error.
 */
jest.setTimeout(300_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('turn_ends_once');
});
afterAll(async () => {
  await stack?.stop();
});

test('a failure reported after the turn ended adds no node and leaves the answer complete', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'ends once' })).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'what is 2 + 2?' })).body;
  await waitForTurn(stack, sent.turn_id);
  const { db } = stack.mongo;
  const nodesOf = async () =>
    (await db.collection('execution_nodes').find({ turn_id: sent.turn_id }).toArray()).map((n) => `${n.type} ${n.status}`).sort();
  const before = await nodesOf();

  // What the workflow does when the streamed answer failed after it ended the turn.
  const reports = createFailureReportActivities({ db, env: stack.env } as ActivityDeps);
  const ctx = { sessionId: session.id, turnId: sent.turn_id, workflowId: 'chat-turn' };
  const last = await reports.reportFailure(ctx, nodeIdFor(sent.turn_id, 'response'), 'Activity task timed out');

  expect(last).toBe(nodeIdFor(sent.turn_id, 'learning'));
  expect(await nodesOf()).toEqual(before);
  expect(before).not.toContainEqual(expect.stringMatching(/^error /));
  expect((await db.collection('turns').findOne({ _id: sent.turn_id }))?.status).toBe('completed');
  const answer = await db.collection('messages').findOne({ turn_id: sent.turn_id, role: 'assistant' });
  expect([answer?.status, answer?.error ?? null]).toEqual(['complete', null]);
});

import { api, waitForTurn } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * Predictions drawn from chat turns, on the real stack with the offline model: requests whose
 * plan used no tool, memory or docs step (or whose tool failed) become one advice-only proposal.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('predictions');
});
afterAll(async () => {
  await stack?.stop();
});
jest.setTimeout(300_000);

const LONG_REQUEST =
  'please find me a cheap hotel in Lisbon near the river with a pool and breakfast included for the whole of next weekend';

/** Sent one after another, so their order is the order the turns started in. */
const MESSAGES = [
  'what is 17*3',
  "what's the weather in Oslo?",
  'what is 1/0', // the calculator refuses it: its tool step fails
  'remember that my cat is called Tom',
  'book me a flight to Rome',
  "What's the weather in Oslo",
  'convert 5 km to miles',
  LONG_REQUEST,
];
const TRIMMED = `${LONG_REQUEST.slice(0, 79).trimEnd()}…`;

test('requests no tool served become one advice-only prediction with examples, most recent first', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'unserved' })).body.id as string;
  for (const content of MESSAGES) {
    const sent = await api(stack, 'POST', `/api/chat/${session}/message`, { content });
    expect(sent.status).toBe(202);
    await waitForTurn(stack, sent.body.turn_id);
  }

  const res = await api(stack, 'GET', '/api/system/predictions');
  expect(res.status).toBe(200);
  const unserved = res.body.predictions.find((p: any) => p.kind === 'unserved_requests');
  expect(unserved).toMatchObject({
    id: 'pred-planner-unserved_requests',
    component_id: 'planner',
    executable: false,
    status: 'open',
    estimated_effort: 4,
    title: `5 of 8 recent requests found no tool: e.g. "${TRIMMED}"`,
  });
  expect(unserved.expected_improvement).toBeCloseTo(5 / 8);
  expect(unserved.confidence).toBeGreaterThan(0);
  expect(unserved.confidence).toBeLessThanOrEqual(1);
  expect(unserved.priority).toBeGreaterThanOrEqual(1);

  // Deduplicated (the two Oslo questions are one example, the later wording), trimmed, newest first.
  const examples = [...unserved.description.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  expect(examples).toEqual([TRIMMED, "What's the weather in Oslo", 'book me a flight to Rome', 'what is 1/0']);
  expect(TRIMMED).toHaveLength(80);
  for (const served of ['17*3', 'remember', 'convert']) expect(unserved.description).not.toContain(served);

  const executed = await api(stack, 'POST', `/api/system/predictions/${unserved.id}/execute`);
  expect(executed.status).toBe(409);
  expect(executed.body.message).toMatch(/cannot be carried out automatically/);
});

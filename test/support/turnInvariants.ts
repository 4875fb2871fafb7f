import type { Db } from 'mongodb';

/**
 * What a turn that survived a crash must look like in the store: completed, each expected node
 * once and successful, one user and one complete assistant message, and per stream a gap-free,
 * duplicate-free run of events with one completion per node.
 */
export async function expectTurnIntact(db: Db, sessionId: string, turnId: string, expectedNodeTypes: string[]) {
  const turn = await db.collection('turns').findOne({ _id: turnId as never });
  const nodes = await db.collection('execution_nodes').find({ session_id: sessionId }).sort({ created_at: 1 }).toArray();
  expect({
    status: turn?.status,
    errors: nodes.filter((n) => n.error || n.type === 'error').map((n) => `${n.type}: ${n.error ?? JSON.stringify(n.input)}`),
  }).toEqual({ status: 'completed', errors: [] });
  expect(nodes.map((n) => n.type)).toEqual(expectedNodeTypes);
  expect(nodes.map((n) => [n.type, n.status, n.error])).toEqual(nodes.map((n) => [n.type, 'success', null]));

  const messages = await db.collection('messages').find({ session_id: sessionId }).sort({ seq_in_session: 1 }).toArray();
  expect(messages.map((m) => [m.role, m.status])).toEqual([
    ['user', 'complete'],
    ['assistant', 'complete'],
  ]);

  const streams = [`chat:${sessionId}`, `execution:${sessionId}`];
  const events = await db
    .collection('events')
    .find({ stream: { $in: streams } })
    .toArray();
  expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
  for (const stream of streams) {
    const seqs = events
      .filter((e) => e.stream === stream)
      .map((e) => e.seq)
      .sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }
  const completions = events
    .filter((e) => (e.data as { type?: string }).type === 'node_completed')
    .map((e) => (e.data as { node: { id: string } }).node.id);
  expect(new Set(completions).size).toBe(completions.length);
  return { answer: messages[1], events };
}

import { Db, MongoClient, type CommandStartedEvent } from 'mongodb';
import type { ActivityDeps } from '../../activities/deps';
import { runAsNode, type NodeSpec } from '../../activities/nodeLifecycle';
import type { TurnContext } from '../../domain/turnContracts';
import { collections } from '../../store/collections';
import { getGraphParts, getNode, getTurnNodes, nodePayloadsById } from '../../store/graphStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';

/**
 * A node is one document (store/graphStore.ts): inserted when it starts, updated once when it
 * ends, holding its input, output and the edge from its parent; nodes stored before that (payload
 * and edge records apart) read as they did. On the real database.
 */
let client: MongoClient;
let db: Db;
/** The commands sent for the graph's collections, as `command collection`. */
let graphCommands: string[] = [];
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!, { monitorCommands: true });
  db = client.db(uniqueDbName('node_documents'));
  await prepareDatabase(db);
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const target = event.command[event.commandName];
    if (typeof target === 'string' && target.startsWith('execution_')) graphCommands.push(`${event.commandName} ${target}`);
  });
});
afterAll(async () => {
  await client?.close();
});

const deps = () => ({ db }) as ActivityDeps;
const turn = (sessionId: string, turnId: string): TurnContext => ({ sessionId, turnId, workflowId: `wf-${turnId}` });
const spec = (id: string, parentId: string | null, more: Partial<NodeSpec> = {}): NodeSpec => ({
  id,
  type: 'tool',
  label: id,
  parentId,
  input: { step: id, 'a.b': { $schema: 1 } },
  ...more,
});
async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  graphCommands = [];
  await run();
  return graphCommands;
}

test('a step is one insert when it starts and one update when it ends, its parent edge and payloads inside', async () => {
  const ctx = turn('s-one', 't1');
  const root = await commandsOf(() => runAsNode(deps(), ctx, spec('t1:a', null), async () => ({ out: 'a' })));
  // A turn's first node counts the session's earlier turns to be placed below them.
  expect(root).toEqual(['find execution_nodes', 'insert execution_nodes', 'findAndModify execution_nodes']);
  const step = await commandsOf(() => runAsNode(deps(), ctx, spec('t1:b', 't1:a'), async () => ({ out: 'b' })));
  expect(step).toEqual(['insert execution_nodes', 'findAndModify execution_nodes']);
  // An error node joins the node that failed and also follows another: that edge is stored apart.
  const failing = spec('t1:error', 't1:a', { type: 'error', alsoAfter: ['t1:b'] });
  const error = await commandsOf(() => runAsNode(deps(), ctx, failing, async () => null));
  expect(error.sort()).toEqual([
    'find execution_nodes',
    'findAndModify execution_nodes',
    'insert execution_edges',
    'insert execution_nodes',
  ]);

  const { nodes, edges } = await getGraphParts(db, 's-one');
  expect(nodes.map((n) => [n.id, n.status, n.input, n.output, n.position])).toEqual([
    ['t1:a', 'success', spec('t1:a', null).input, { out: 'a' }, { x: 0, y: 0 }],
    ['t1:b', 'success', spec('t1:b', null).input, { out: 'b' }, { x: 0, y: 110 }],
    ['t1:error', 'success', spec('t1:error', null).input, null, { x: 240, y: 110 }],
  ]);
  expect(edges.map((e) => [e.id, e.kind])).toEqual([
    ['t1:a->t1:b', 'flow'],
    ['t1:a->t1:error', 'flow'],
    ['t1:b->t1:error', 'flow'],
  ]);
  // Without payloads (the GraphQL graph), nodes carry none and no stored extra.
  const [light] = (await getGraphParts(db, 's-one', { payloads: false })).nodes;
  expect(['input', 'output', 'parent_edge_kind'].filter((field) => field in light)).toEqual([]);
  expect((await getNode(db, 's-one', 't1:b'))?.output).toEqual({ out: 'b' });
  expect((await getTurnNodes(db, 's-one', 't1')).map((n) => n.output)).toEqual([{ out: 'a' }, { out: 'b' }, null]);
});

test('a replay holds its replay edge; a step run again after it succeeded returns its stored output and writes nothing', async () => {
  const ctx = turn('s-replay', 't2');
  await runAsNode(deps(), ctx, spec('t2:a', null), async () => 'first');
  const again = await commandsOf(async () =>
    expect(await runAsNode(deps(), ctx, spec('t2:a', null), async () => 'second')).toEqual({ output: 'first' }),
  );
  expect(again.filter((command) => !command.startsWith('find'))).toEqual(['insert execution_nodes']);
  await runAsNode(deps(), turn('s-replay', 'r1'), spec('r1:replay', 't2:a', { edgeKind: 'replay' }), async () => 'replayed');
  const { nodes, edges } = await getGraphParts(db, 's-replay');
  expect(edges.map((e) => [e.id, e.kind, e.label])).toEqual([['t2:a->r1:replay', 'replay', 'replay']]);
  expect(nodes.map((n) => [n.id, n.output])).toEqual([
    ['t2:a', 'first'],
    ['r1:replay', 'replayed'],
  ]);
});

test('nodes stored before a node was one document read as before, beside new ones', async () => {
  const { nodes, nodePayloads, edges } = collections(db);
  const older = (id: string, parent: string | null) => ({
    _id: id,
    id,
    session_id: 's-old',
    turn_id: 'old',
    type: 'plan' as const,
    label: id,
    status: 'success' as const,
    started_at: null,
    ended_at: null,
    duration_ms: null,
    error: null,
    parent_node_id: parent,
    chat_message_ids: [],
    component: null,
    version: null,
    workflow_id: 'wf-old',
    created_at: `2025-01-01T00:00:0${id.length}.000Z`,
    position: { x: 0, y: 0 },
  });
  await nodes.insertMany([older('o:a', null), older('o:ab', 'o:a')]);
  await nodePayloads.insertMany(
    ['o:a', 'o:ab'].map((id) => ({ _id: id, session_id: 's-old', input: { content: id }, output: [{ id }] })),
  );
  await edges.insertOne({
    _id: 'o:a->o:ab',
    id: 'o:a->o:ab',
    session_id: 's-old',
    source_node_id: 'o:a',
    target_node_id: 'o:ab',
    kind: 'replan',
    data: { kind: 'replan' },
    label: 'replan',
  });
  await runAsNode(deps(), turn('s-old', 'r2'), spec('r2:replay', 'o:ab', { edgeKind: 'replay' }), async () => 'new');

  const graph = await getGraphParts(db, 's-old');
  expect(graph.nodes.map((n) => [n.id, n.input, n.output])).toEqual([
    ['o:a', { content: 'o:a' }, [{ id: 'o:a' }]],
    ['o:ab', { content: 'o:ab' }, [{ id: 'o:ab' }]],
    ['r2:replay', spec('r2:replay', null).input, 'new'],
  ]);
  expect(graph.edges.map((e) => [e.id, e.kind])).toEqual([
    ['o:a->o:ab', 'replan'],
    ['o:ab->r2:replay', 'replay'],
  ]);
  expect((await getNode(db, 's-old', 'o:ab'))?.input).toEqual({ content: 'o:ab' });
  expect((await getTurnNodes(db, 's-old', 'old')).map((n) => n.output)).toEqual([[{ id: 'o:a' }], [{ id: 'o:ab' }]]);
  const plans = await nodePayloadsById(db, ['o:a', 'r2:replay', 'missing'], { 'input.content': 1, output: 1 });
  expect([...plans]).toEqual([
    ['o:a', { input: { content: 'o:a' }, output: [{ id: 'o:a' }] }],
    ['r2:replay', { input: {}, output: 'new' }],
  ]);
});

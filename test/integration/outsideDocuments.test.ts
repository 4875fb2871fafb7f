import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { META_STREAM } from '../../domain/events';
import type { NodeRecord } from '../../domain/execution';
import type { SuiteAcceptance } from '../../domain/generation';
import { startLiveRegistry } from '../../registry/liveRegistry';
import { appendEvents, readEvents } from '../../store/eventLog';
import { getComponent, getVersion } from '../../store/evolutionStore';
import { getSuiteAcceptance, insertSuiteAcceptance } from '../../store/generatedStore';
import { getNode, insertNodeOnce, updateNode } from '../../store/graphStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';
import { startTestStack } from '../../harness/stack';

/**
 * Outside data the embedded database would refuse (FerretDB v1: `$` and dotted keys, nested
 * arrays; PostgreSQL: NUL) goes through the store and comes back byte for byte
 * (store/documentCodec.ts), and a component file no store can take stops neither a rescan nor a
 * worker's start.
 */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('outside_docs'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

const schemaTool = `var component = {
  name: 'schema_tool',
  type: 'tool',
  description: 'Echoes x; its schema says which draft it follows, as models write it.',
  input_schema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { x: { type: 'number' }, 'a.b': { $ref: '#/definitions/ab' } },
    definitions: { ab: { type: 'array', items: [[1, 2], ['x']] } },
  },
  tunables: { 'a.b': { default: 1, min: 0, max: 2, step: 1 } },
  run: function (input, params) {
    return { result: input.x * params['a.b'] };
  },
};
`;

const toolOutput = {
  $set: { 'a.b': 1, $inc: 2 },
  rows: [
    [1, 2],
    [3, [4, 5]],
  ],
  text: 'NUL\0inside',
  _id: 'not the document id',
};

test('a worker process starts with such a file in its components folder', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outside-worker-'));
  await writeFile(path.join(dir, 'schema_tool.js'), schemaTool);
  // createWorker, as worker/main.ts runs it: on main it threw (invalid key: "$schema") and the process exited.
  const stack = await startTestStack('outside_worker', { EVOSCOPE_COMPONENTS_DIR: dir });
  try {
    expect((await getComponent(stack.mongo.db, 'schema_tool'))?.current_version).toMatch(/^[0-9a-f]{12}$/);
  } finally {
    await stack.stop();
  }
});

test('a worker starts with a `$schema` manifest and a tunable named `a.b`, and the store keeps both exactly; a broken file is skipped with its reason', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outside-components-'));
  await writeFile(path.join(dir, 'schema_tool.js'), schemaTool);
  await writeFile(path.join(dir, 'broken.js'), 'var component = { name: 42 };\n');
  const logged: string[] = [];
  // What a worker runs at start (worker/createWorker.ts): it used to throw here, and the worker exit.
  const registry = await startLiveRegistry(db, dir, { watch: false, log: (m) => logged.push(m) });
  try {
    const loaded = registry.components.get('schema_tool');
    expect(loaded).toBeDefined();
    const stored = await getVersion(db, 'schema_tool', loaded!.version);
    expect(JSON.stringify(stored?.manifest)).toBe(JSON.stringify(loaded!.manifest));
    expect(stored?.manifest.input_schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(JSON.stringify(stored?.params)).toBe('{"a.b":1}');
    expect((await getComponent(db, 'schema_tool'))?.current_version).toBe(loaded!.version);

    const skipped = (await readEvents(db, META_STREAM, 0)).filter(
      (e) => (e.data as { type: string }).type === 'component_file_skipped',
    );
    expect(skipped.map((e) => (e.data as { file_path: string }).file_path)).toEqual(['broken.js']);
    expect(logged.some((m) => m.includes('broken.js'))).toBe(true);
  } finally {
    registry.close();
  }
});

test('a suite case with `subset: {"a.b": 1}` comes back byte for byte', async () => {
  const at = '2026-12-07T00:00:00.000Z';
  const summary = {
    suite: 'schema_tool',
    suite_hash: 'h',
    cases: 0,
    passed: 0,
    pass_rate: 0,
    mean_score: 0,
    latency_p50_ms: 0,
    latency_p95_ms: 0,
    errors: 0,
    at,
  };
  const acceptance: SuiteAcceptance = {
    accepted_by: 'person',
    cases: [{ id: 'dotted', input: { x: 1, $where: 'x' }, expect: { subset: { 'a.b': 1 } }, holdout: false }],
    edited: true,
    run: { cases: [], summary },
    at,
  };
  await insertSuiteAcceptance(db, { _id: 'gen-dotted', ...acceptance });
  const { _id, ...read } = (await getSuiteAcceptance(db, 'gen-dotted'))!;
  expect(JSON.stringify(read)).toBe(JSON.stringify(acceptance));
});

test('a tool output with `$` keys, nested arrays and NUL comes back byte for byte, as a node payload and as event data', async () => {
  const node: NodeRecord & { position: { x: number; y: number } } = {
    id: 'node-outside',
    type: 'tool',
    status: 'executing',
    started_at: '2026-12-07T00:00:00.000Z',
    chat_message_ids: [],
    parent_node_id: null,
    version: null,
    session_id: 's-outside',
    turn_id: 't-outside',
    label: 'schema_tool',
    ended_at: null,
    duration_ms: null,
    input: { $schema: 'x', 'a.b': [[1]] },
    output: null,
    error: null,
    component: 'schema_tool',
    workflow_id: 'wf-outside',
    created_at: '2026-12-07T00:00:00.000Z',
    position: { x: 0, y: 0 },
  };
  await insertNodeOnce(db, node);
  await updateNode(db, node.id, { status: 'success', output: toolOutput });
  const read = await getNode(db, 's-outside', node.id);
  expect(JSON.stringify(read?.input)).toBe(JSON.stringify(node.input));
  expect(JSON.stringify(read?.output)).toBe(JSON.stringify(toolOutput));

  await appendEvents(db, [{ stream: 'execution:s-outside', key: 'outside-output', data: { output: toolOutput } }]);
  const [event] = await readEvents(db, 'execution:s-outside', 0);
  expect(JSON.stringify(event.data)).toBe(JSON.stringify({ output: toolOutput }));
});

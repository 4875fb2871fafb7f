import {
  executionReducer,
  initialExecutionState,
  turnPhase,
  turnStats,
  type ExecutionState,
} from '../../web/src/state/executionEvents';
import type { ExecutionEventData, NodeSummary } from '../../domain/events';
import type { NodeRecord } from '../../domain/execution';
import { node as graphNode, SESSION } from './graphFixtures';

/** A node of turn t1, executing since the start of the test's clock. */
const node = (id: string, patch: Partial<NodeRecord> = {}): NodeSummary =>
  graphNode(id, 't1', {
    status: 'executing',
    started_at: '2025-01-01T00:00:00.000Z',
    duration_ms: null,
    workflow_id: 'chat-turn:s1:m1',
    created_at: '2025-01-01T00:00:00.000Z',
    ...patch,
  });
const ev = (seq: number, data: ExecutionEventData) => ({ seq, data });
const loaded = (nodes: NodeSummary[] = [], lastSeq = 0): ExecutionState =>
  executionReducer(initialExecutionState(SESSION), { type: 'loaded', sessionId: SESSION, nodes, edges: [], lastSeq });
const apply = (state: ExecutionState, ...events: { seq: number; data: unknown }[]) =>
  executionReducer(state, { type: 'events', sessionId: SESSION, events });
const edge = (id: string, source: string, target: string, kind: 'flow' | 'replay' = 'flow') => ({
  id,
  session_id: SESSION,
  source_node_id: source,
  target_node_id: target,
  kind,
  data: { kind },
  label: null,
});

describe('execution event reducer', () => {
  it('adds nodes and edges, bumping the structure version only for new ids', () => {
    let s = loaded();
    const v0 = s.structureVersion;
    s = apply(
      s,
      ev(1, { type: 'node_started', node: node('a') }),
      ev(2, { type: 'node_started', node: node('b') }),
      ev(3, { type: 'edge_created', edge: edge('e1', 'a', 'b') }),
    );
    expect(s.structureVersion).toBe(v0 + 1);
    expect([...s.nodes.keys()]).toEqual(['a', 'b']);
    expect(s.turns.get('t1')!.nodeIds).toEqual(['a', 'b']);
    const v1 = s.structureVersion;
    const nodesBefore = s.nodes;
    const untouched = s.nodes.get('b');
    s = apply(s, ev(4, { type: 'node_completed', node: node('a', { status: 'success', duration_ms: 12 }) }));
    expect(s.structureVersion).toBe(v1); // a status change is a patch, not a re-layout
    expect(s.nodes.get('a')!.status).toBe('success');
    expect(s.nodes.get('b')).toBe(untouched); // unchanged nodes keep identity
    expect(nodesBefore.get('a')!.status).toBe('executing'); // previous state not mutated
  });

  it('orders a shuffled batch by seq and ignores duplicates', () => {
    let s = apply(
      loaded(),
      ev(2, { type: 'node_completed', node: node('a', { status: 'success' }) }),
      ev(1, { type: 'node_started', node: node('a') }),
      ev(2, { type: 'node_completed', node: node('a', { status: 'success' }) }),
    );
    expect(s.nodes.get('a')!.status).toBe('success');
    expect(s.lastSeq).toBe(2);
    const before = s;
    s = apply(
      s,
      ev(1, { type: 'node_started', node: node('a') }),
      ev(2, { type: 'node_completed', node: node('a', { status: 'success' }) }),
    );
    expect(s).toBe(before);
  });

  it('resumes after a reconnect from the loaded cursor without re-applying old events', () => {
    let s = loaded([node('a', { status: 'success' })], 7);
    s = apply(
      s,
      ev(6, { type: 'node_started', node: node('a') }),
      ev(8, { type: 'node_failed', node: node('b', { status: 'error', error: 'boom' }) }),
    );
    expect(s.nodes.get('a')!.status).toBe('success');
    expect(s.nodes.get('b')).toMatchObject({ status: 'error', error: 'boom' });
    expect(s.lastSeq).toBe(8);
  });

  it('derives turn phases, and the server report wins once it arrives', () => {
    let s = apply(loaded(), ev(1, { type: 'node_started', node: node('a') }));
    const turn = () => s.turns.get('t1')!;
    expect(turnPhase(turn(), s.nodes)).toBe('running');
    s = apply(s, ev(2, { type: 'node_failed', node: node('a', { status: 'error' }) }));
    expect(turnPhase(turn(), s.nodes)).toBe('failed');
    s = apply(s, ev(3, { type: 'graph_updated', turn_id: 't1', status: 'stopped' }));
    expect(turnPhase(turn(), s.nodes)).toBe('stopped');
  });

  it('sums turn statistics', () => {
    const s = loaded([
      node('a', { status: 'success', started_at: '2025-01-01T00:00:00.000Z', ended_at: '2025-01-01T00:00:01.000Z' }),
      node('b', {
        status: 'error',
        started_at: '2025-01-01T00:00:01.000Z',
        ended_at: '2025-01-01T00:00:02.500Z',
        created_at: '2025-01-01T00:00:01.000Z',
      }),
    ]);
    expect(turnStats(s.turns.get('t1')!, s.nodes)).toMatchObject({ total: 2, success: 1, error: 1, durationMs: 2500 });
  });

  it('groups nodes by turn in creation order on load and keeps replay edges', () => {
    let s = loaded([
      node('t2-a', { turn_id: 't2', created_at: '2025-01-01T00:00:05.000Z' }),
      node('t1-a', { turn_id: 't1', created_at: '2025-01-01T00:00:01.000Z' }),
    ]);
    expect([...s.turns.keys()]).toEqual(['t1', 't2']);
    s = apply(s, ev(1, { type: 'edge_created', edge: edge('r1', 't1-a', 'replay-1', 'replay') }));
    expect(s.edges.get('r1')!.kind).toBe('replay');
  });

  it('moves a node a person placed, keeps it there through later status events, and ignores an older move', () => {
    let s = apply(loaded(), ev(1, { type: 'node_started', node: node('a') }));
    const v = s.structureVersion;
    const at = (x: number, y: number, saved_at: string) =>
      ({ type: 'node_moved', node_id: 'a', position: { x, y }, saved_at }) as const;
    s = apply(s, ev(2, at(300, 40, '2025-01-01T00:01:00.000Z')));
    expect(s.nodes.get('a')).toMatchObject({ position: { x: 300, y: 40 }, position_saved_at: '2025-01-01T00:01:00.000Z' });
    expect(s.structureVersion).toBe(v + 1); // the canvas re-lays out around it
    s = apply(s, ev(3, { type: 'node_completed', node: node('a', { status: 'success' }) }));
    expect(s.nodes.get('a')).toMatchObject({ status: 'success', position: { x: 300, y: 40 } });
    s = apply(s, ev(4, at(0, 0, '2025-01-01T00:00:30.000Z')), ev(5, { ...at(1, 1, 'x'), node_id: 'unknown' }));
    expect(s.nodes.get('a')!.position).toEqual({ x: 300, y: 40 });
    expect(s.nodes.has('unknown')).toBe(false);
  });

  it('counts unreadable events and ignores results for another session', () => {
    const s = apply(loaded(), { seq: 1, data: { type: 'node_started', node: { id: 'x' } } });
    expect(s.unreadable).toBe(1);
    expect(s.lastSeq).toBe(1);
    const other = executionReducer(s, {
      type: 'events',
      sessionId: 'nope',
      events: [ev(2, { type: 'node_started', node: node('z') })],
    });
    expect(other).toBe(s);
  });
});

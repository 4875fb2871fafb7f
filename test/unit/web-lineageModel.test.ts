import type { ComponentView, ExperimentSummary, MetaEventView, VersionView } from '../../web/src/api/evolutionDocuments';
import { buildLineageModel, changedNodeData, versionNodeId } from '../../web/src/evolution/lineageModel';
import { describeMetaEvent } from '../../web/src/evolution/timelineText';

const version = (
  v: string,
  parents: string[],
  kind: VersionView['created_by']['kind'],
  at: string,
  extra: Partial<VersionView> = {},
): VersionView => ({
  version: v,
  code_hash: v,
  file_path: 'tools/x.js',
  parents,
  status: 'previous',
  created_by: { kind, detail: null },
  dependencies: [],
  params: {},
  test_results: {},
  performance_metrics: {},
  usage_count: 0,
  last_used: null,
  created_at: at,
  ...extra,
});
const component = (name: string, current: string, versions: VersionView[]): ComponentView => ({
  id: name,
  name,
  type: 'tool',
  description: '',
  file_path: `tools/${name}.js`,
  current_version: current,
  usage_count: 0,
  last_used: null,
  tags: [],
  versions,
});
const experiment = (
  id: string,
  c: string,
  a: string,
  b: string,
  status: ExperimentSummary['status'],
  outcome: string | null,
  at: string,
): ExperimentSummary => ({
  id,
  status,
  stage: null,
  component: c,
  version_a: a,
  version_b: b,
  goal: null,
  conclusion: null,
  decision: outcome
    ? { action: 'promote', outcome: outcome as never, reason: 'r', decided_by: 'system', autonomy_level: 'full', at }
    : null,
  rolled_back: null,
  workflow_id: null,
  created_at: at,
  updated_at: at,
  prediction_id: null,
});
const event = (seq: number, data: Record<string, unknown>): MetaEventView => ({
  seq,
  type: String(data.type),
  data,
  created_at: '2026-01-01T00:00:00Z',
});

const seed = version('aaaaaaaaaaaa', [], 'seed', '2026-01-01T00:00:00Z', {
  test_results: {
    suite: 's',
    suite_hash: 'h',
    cases: 4,
    passed: 2,
    pass_rate: 0.5,
    mean_score: 0.5,
    latency_p50_ms: 3,
    latency_p95_ms: 5,
    errors: 0,
    at: 'x',
  },
});
const won = version('bbbbbbbbbbbb', ['aaaaaaaaaaaa'], 'experiment', '2026-01-01T00:01:00Z');
const lost = version('cccccccccccc', ['aaaaaaaaaaaa'], 'experiment', '2026-01-01T00:02:00Z');
const waiting = version('dddddddddddd', ['bbbbbbbbbbbb'], 'experiment', '2026-01-01T00:03:00Z');

describe('lineage model', () => {
  const components = [
    component('scaler', 'bbbbbbbbbbbb', [seed, won, lost, waiting]),
    component('alpha', 'eeeeeeeeeeee', [version('eeeeeeeeeeee', [], 'seed', '2026-01-01T00:00:00Z')]),
  ];
  const experiments = [
    experiment('e1', 'scaler', 'aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'approved', 'promoted', '2026-01-01T00:01:00Z'),
    experiment('e2', 'scaler', 'bbbbbbbbbbbb', 'cccccccccccc', 'completed', 'not_promoted', '2026-01-01T00:02:00Z'),
    experiment('e3', 'scaler', 'bbbbbbbbbbbb', 'dddddddddddd', 'awaiting_approval', 'pending', '2026-01-01T00:03:00Z'),
  ];

  it('makes one frame per component and one node per version, tells fates apart, and links parents', () => {
    const model = buildLineageModel(components, experiments, []);
    const byId = new Map(model.nodes.map((n) => [n.id, n]));
    expect(model.nodes.filter((n) => n.type === 'componentFrame').map((n) => n.id)).toEqual([
      'component:alpha',
      'component:scaler',
    ]);
    const data = (v: string) => byId.get(versionNodeId('scaler', v))!.data as Record<string, unknown>;
    expect(data('aaaaaaaaaaaa')).toMatchObject({
      outcome: 'seed',
      isCurrent: false,
      passRate: 0.5,
      meanScore: 0.5,
      latencyP50: 3,
    });
    expect(data('bbbbbbbbbbbb')).toMatchObject({ outcome: 'promoted', isCurrent: true, experimentId: 'e1' });
    expect(data('cccccccccccc')).toMatchObject({ outcome: 'not_promoted' });
    expect(data('dddddddddddd')).toMatchObject({ outcome: 'awaiting' });
    expect(model.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual([
      'scaler@aaaaaaaaaaaa>scaler@bbbbbbbbbbbb',
      'scaler@aaaaaaaaaaaa>scaler@cccccccccccc',
      'scaler@bbbbbbbbbbbb>scaler@dddddddddddd',
    ]);
    // A child sits below its parent; components sit side by side.
    expect(byId.get('scaler@bbbbbbbbbbbb')!.position.y).toBeGreaterThan(byId.get('scaler@aaaaaaaaaaaa')!.position.y);
    expect(byId.get('component:scaler')!.position.x).not.toBe(byId.get('component:alpha')!.position.x);
  });

  it('a rollback marks the version it left; data changes keep the structure key and patch only what changed', () => {
    const before = buildLineageModel(components, experiments, []);
    const rolled = components.map((c) => (c.name === 'scaler' ? { ...c, current_version: 'aaaaaaaaaaaa' } : c));
    const after = buildLineageModel(rolled, experiments, [
      event(9, {
        type: 'version_rolled_back',
        component: 'scaler',
        version: 'aaaaaaaaaaaa',
        from_version: 'bbbbbbbbbbbb',
        reason: 'undo',
      }),
    ]);
    expect(after.structureKey).toBe(before.structureKey);
    const changed = changedNodeData(before.nodes, after.nodes);
    expect([...changed.keys()].sort()).toEqual(['component:scaler', 'scaler@aaaaaaaaaaaa', 'scaler@bbbbbbbbbbbb']);
    expect(changed.get('scaler@bbbbbbbbbbbb')).toMatchObject({ outcome: 'rolled_back', isCurrent: false });
    const grown = buildLineageModel(
      [...components, component('beta', 'ffffffffffff', [version('ffffffffffff', [], 'seed', 'x')])],
      experiments,
      [],
    );
    expect(grown.structureKey).not.toBe(before.structureKey);
  });

  it('describes timeline events in words', () => {
    expect(
      describeMetaEvent(
        event(1, {
          type: 'version_promoted',
          component: 'scaler',
          version: 'bbbbbbbbbbbb',
          previous_version: 'a',
          decided_by: 'ada',
        }),
      ).text,
    ).toBe('scaler: bbbbbbbb promoted to current by ada');
    expect(
      describeMetaEvent(
        event(2, {
          type: 'experiment_decided',
          experiment_id: 'e',
          component: 'scaler',
          action: 'await_approval',
          outcome: 'pending',
          reason: 'manual',
          decided_by: 'system',
        }),
      ),
    ).toMatchObject({ tone: 'warn', experimentId: 'e' });
    expect(
      describeMetaEvent(event(3, { type: 'component_file_skipped', file_path: 'tools/bad.js', reason: 'invalid manifest' })),
    ).toMatchObject({ tone: 'bad', text: 'tools/bad.js skipped — invalid manifest' });
    expect(
      describeMetaEvent(
        event(3, {
          type: 'answer_marked',
          feedback_id: 'fb-1',
          session_id: 's',
          message_id: 'm',
          verdict: 'wrong',
          cases: [{ id: 'taught-fb-1-intent_analyser', component: 'intent_analyser', split: 'held_out' }],
        }),
      ).text,
    ).toBe('an answer was marked wrong: taught intent_analyser (held-out)');
  });
});

import { componentFindings, priorityOf, unservedFinding, type ComponentFacts } from '../../evolution/predictionFindings';
import { summariseUnserved, type PlannedTurn } from '../../evolution/unservedRequests';
import { suiteSummary } from '../support/evolutionFixtures';

/** A healthy, tuned, used component: nothing to propose. */
const facts = (patch: Partial<ComponentFacts> = {}): ComponentFacts => ({
  component: 'scaler',
  version: 'aaaa',
  tests: suiteSummary(10, 10),
  suiteCases: 10,
  taughtFailing: 0,
  usage: { usage_count: 20, error_count: 0 },
  tunables: ['k1', 'k2'],
  evolved: true,
  ageMs: 2 * 3600_000,
  canRewrite: false,
  ...patch,
});
const kinds = (patch: Partial<ComponentFacts>) => componentFindings(facts(patch)).map((f) => f.kind);

describe('what the analysis proposes for one component', () => {
  it('proposes nothing for a component that passes, is fast, used and evolved', () => {
    expect(componentFindings(facts())).toEqual([]);
  });

  it('proposes evolving a component whose suite cases fail, which the offline operator can carry out', () => {
    const [finding] = componentFindings(facts({ tests: { ...suiteSummary(10, 6), mean_score: 0.6 } }));
    expect(finding).toEqual({
      component: 'scaler',
      kind: 'failing_cases',
      title: 'scaler: 4 of 10 suite cases fail',
      description: 'Mean score 0.600; evolving it should pass more cases.',
      expected_improvement: 0.2,
      confidence: 0.5,
      estimated_effort: 1,
      priority: priorityOf({ expected_improvement: 0.2, confidence: 0.5, estimated_effort: 1 }),
      executable: true,
    });
  });

  it('cannot carry out a proposal for a component without a suite or without tunables', () => {
    const failing = { tests: { ...suiteSummary(10, 6), mean_score: 0.6 } };
    expect(componentFindings(facts({ ...failing, suiteCases: null }))[0]).toMatchObject({ executable: false });
    expect(componentFindings(facts({ ...failing, tunables: [] }))[0]).toMatchObject({ executable: false });
  });

  it('counts taught cases the current version still fails, in the singular and the plural', () => {
    expect(componentFindings(facts({ taughtFailing: 1 }))[0]).toMatchObject({
      kind: 'taught_cases_fail',
      title: 'scaler: 1 taught case fails',
      expected_improvement: 0.2,
    });
    expect(componentFindings(facts({ taughtFailing: 3 }))[0].title).toBe('scaler: 3 taught cases fail');
  });

  it('proposes a leaner version of a slow one, carried out only by a model', () => {
    const slow = { tests: { ...suiteSummary(10, 10), latency_p95_ms: 80 } };
    expect(componentFindings(facts(slow))[0]).toMatchObject({ kind: 'slow_p95', executable: false });
    expect(componentFindings(facts(slow))[0].description).toMatch(/it takes a model to rewrite it/);
    expect(componentFindings(facts({ ...slow, canRewrite: true }))[0]).toMatchObject({ kind: 'slow_p95', executable: true });
    expect(kinds({ tests: { ...suiteSummary(10, 10), latency_p95_ms: 50 } })).toEqual([]);
  });

  it('flags a live error spike once enough runs are in', () => {
    expect(componentFindings(facts({ usage: { usage_count: 10, error_count: 3 } }))[0]).toMatchObject({
      kind: 'error_spike',
      title: 'scaler: 30 % of live runs fail',
      description: '3 of 10 runs of aaaa failed.',
      expected_improvement: 0.15,
    });
    expect(kinds({ usage: { usage_count: 4, error_count: 4 } })).toEqual([]);
    expect(kinds({ usage: { usage_count: 10, error_count: 2 } })).toEqual([]);
  });

  it('flags a component nobody used, once it had an hour to be', () => {
    expect(componentFindings(facts({ usage: null }))[0]).toMatchObject({ kind: 'unused_component', executable: false });
    expect(kinds({ usage: { usage_count: 0, error_count: 0 } })).toEqual(['unused_component']);
    expect(kinds({ usage: null, ageMs: 60_000 })).toEqual([]);
  });

  it('proposes searching tunables never evolved', () => {
    expect(componentFindings(facts({ evolved: false }))[0]).toMatchObject({
      kind: 'untuned_parameters',
      description: 'Declares k1, k2; the offline operator can search them against the suite.',
      executable: true,
    });
    expect(kinds({ evolved: false, tunables: [] })).toEqual([]);
  });

  it('lists every finding in a fixed order', () => {
    expect(
      kinds({
        tests: { ...suiteSummary(10, 6), latency_p95_ms: 80 },
        taughtFailing: 2,
        usage: null,
        evolved: false,
      }),
    ).toEqual(['failing_cases', 'taught_cases_fail', 'slow_p95', 'unused_component', 'untuned_parameters']);
  });
});

describe('priority', () => {
  it.each([
    [{ expected_improvement: 0, confidence: 0.4, estimated_effort: 0.5 }, 1],
    [{ expected_improvement: 0.05, confidence: 0.3, estimated_effort: 0.5 }, 3],
    [{ expected_improvement: 0.2, confidence: 0.5, estimated_effort: 1 }, 8],
    [{ expected_improvement: 1, confidence: 1, estimated_effort: 0.1 }, 10],
  ])('%j ranks %i', (estimate, priority) => {
    expect(priorityOf(estimate)).toBe(priority);
  });
});

describe('requests no tool served', () => {
  const turn = (content: string, kinds: ('tool' | 'agent')[], failedAt: number | null = null): PlannedTurn => ({
    content,
    steps: kinds.map((kind, i) => ({ id: `s${i}`, kind })),
    failed_step: failedAt === null ? null : `s${failedAt}`,
  });

  it('counts turns whose plan used no tool, or failed at the one it chose, with each request once as an example', () => {
    const summary = summariseUnserved([
      turn('What is the  weather?', ['agent']),
      turn('convert 5 miles', ['tool'], 0),
      turn('what is the weather', ['agent']),
      turn('add 2 and 2', ['tool']),
    ]);
    expect(summary).toEqual({ unserved: 3, turns: 4, examples: ['What is the weather', 'convert 5 miles'] });
  });

  it('proposes a new tool for the planner from two unserved requests, and not from one', () => {
    expect(unservedFinding({ unserved: 1, turns: 10, examples: ['x'] }, true)).toBeNull();
    const finding = unservedFinding({ unserved: 2, turns: 10, examples: ['weather', 'tides'] }, false);
    expect(finding).toMatchObject({
      component: 'planner',
      kind: 'unserved_requests',
      title: '2 of 10 recent requests found no tool: e.g. "weather"',
      expected_improvement: 0.2,
      executable: false,
    });
    expect(finding!.description).toMatch(/"weather"; "tides"\. A new tool would serve them: a person can write one/);
    expect(unservedFinding({ unserved: 2, turns: 10, examples: ['weather'] }, true)!.description).toMatch(
      /the configured model can draft one/,
    );
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Analysis, AnswerPrompt, FunctionPrompt, LoopDecision, ModelRouting, PlanResult } from '../../domain/agent';
import { loadSuite, scoreCase } from '../../evaluation/suite';
import { runInSandbox } from '../../sandbox/runInSandbox';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { COMPONENTS_DIR, componentRunner } from './componentRunner';

afterAll(() => sandboxPool.close());

const analyse = componentRunner('agent/intent_analyser.js');
const planner = componentRunner('chain/planner.js');
const respond = componentRunner('agent/responder.js');
const select = componentRunner('model/model_selector.js');

const TOOLS = [
  { name: 'calculator', type: 'tool', kind: null, description: 'arithmetic', input_schema: { type: 'object' } },
  { name: 'unit_convert', type: 'tool', kind: null, description: 'units', input_schema: { type: 'object' } },
  { name: 'session_memory', type: 'memory', kind: null, description: 'memory', input_schema: { type: 'object' } },
  { name: 'docs_retriever', type: 'tool', kind: 'rag', description: 'docs', input_schema: { type: 'object' } },
];

describe('intent_analyser', () => {
  it('splits a compound request into one request per tool, with the entities each tool needs', async () => {
    const out = Analysis.parse(await analyse({ content: 'Convert 10 miles to km, and what is sqrt(2)*3?' }));
    expect(out.requests.map((r) => [r.intent, r.tool, r.entities])).toEqual([
      ['unit_conversion', 'unit_convert', { value: 10, from: 'miles', to: 'km' }],
      ['arithmetic', 'calculator', { expression: 'sqrt(2)*3' }],
    ]);
    expect(out.tools).toEqual(['unit_convert', 'calculator']);
    expect(out.intent.summary).toBe('2 requests: convert 10 miles to km; evaluate sqrt(2)*3');
  });

  it('reads a clause that opens with "and" after a question mark', async () => {
    const out = Analysis.parse(await analyse({ content: 'How many kilometres are 5 miles? and what is 20% of 150' }));
    expect(out.requests.map((r) => r.tool)).toEqual(['unit_convert', 'calculator']);
  });

  it('keeps a fact to remember whole, "and" included', async () => {
    const out = Analysis.parse(await analyse({ content: 'remember that I like tea and what is 2+2' }));
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0].entities).toEqual({ text: 'I like tea and what is 2+2' });
  });

  it('reads a docs question by its keyword weights; a keyword at weight 0 is off, and an everyday sense does not count', async () => {
    const question = { content: 'how do I roll back a bad change?' };
    expect((await analyse(question)).intent.intent).toBe('docs_question');
    expect((await analyse(question, { docs_rollback: 0 })).intent.intent).toBe('chitchat');
    expect((await analyse({ content: 'which version is live right now?' })).intent.intent).toBe('docs_question');
    expect((await analyse({ content: 'which version of the song do you prefer?' })).intent.intent).toBe('chitchat');
    expect((await analyse({ content: 'What autonomy levels does Evoscope have?' }, { docs_threshold: 2.5 })).intent.intent).toBe(
      'chitchat',
    );
  });

  it('keeps its phrase tables as plain JSON between the LEXICON markers, where an operator can rewrite them', () => {
    const code = readFileSync(path.join(COMPONENTS_DIR, 'agent/intent_analyser.js'), 'utf8');
    const block = /\/\/ LEXICON-BEGIN\nvar LEXICON = ([\s\S]*?);\n\/\/ LEXICON-END/.exec(code);
    const lexicon = JSON.parse(block![1]);
    expect(Object.keys(lexicon)).toEqual(
      expect.arrayContaining(['asks', 'phrase_rules', 'operator_words', 'word_problems', 'unit_patterns', 'everyday_senses']),
    );
  });

  it('reads operator words, percentages, powers, roots, word problems and unit phrasing', async () => {
    const readings = async (content: string) =>
      Analysis.parse(await analyse({ content })).requests.map((r) => [r.intent, r.entities]);
    expect(await readings("what's 6 times 9")).toEqual([['arithmetic', { expression: '6 * 9' }]]);
    expect(await readings('What is 20% of 150?')).toEqual([['arithmetic', { expression: '20 / 100 * 150' }]]);
    expect(await readings('the square root of 81 please')).toEqual([['arithmetic', { expression: 'sqrt(81)' }]]);
    expect(await readings('subtract 15 from 40')).toEqual([['arithmetic', { expression: '40 - 15' }]]);
    expect(await readings('I have 12 apples and eat 5. How many are left?')).toEqual([['arithmetic', { expression: '12 - 5' }]]);
    expect(await readings('How many kilometres are 5 miles?')).toEqual([
      ['unit_conversion', { value: 5, from: 'miles', to: 'kilometres' }],
    ]);
    expect(await readings('100 km/h in mph')).toEqual([['unit_conversion', { value: 100, from: 'km/h', to: 'mph' }]]);
    expect(await readings('I have 3 cats and a dog')).toEqual([['chitchat', {}]]);
  });

  it("takes a model's one-word classification, and keeps its own reading when the reply names no intent", async () => {
    expect((await analyse({ op: 'read_reply', content: 'hi', reply: 'Long_form.' })).intent).toEqual({
      intent: 'long_form',
      confidence: 0.8,
      summary: 'long_form.',
    });
    expect((await analyse({ op: 'read_reply', content: 'what is 2+2', reply: '??' })).intent.intent).toBe('arithmetic');
  });

  it('refuses input without content', async () => {
    await expect(analyse({})).rejects.toThrow(/content/);
  });
});

describe('planner', () => {
  it('plans one step per served request, numbered from next_step', async () => {
    const requests = [
      {
        text: 'a',
        intent: 'unit_conversion',
        confidence: 0.9,
        summary: 's',
        entities: { value: 10, from: 'miles', to: 'km' },
        tool: 'unit_convert',
      },
      {
        text: 'b',
        intent: 'arithmetic',
        confidence: 0.9,
        summary: 's',
        entities: { expression: 'sqrt(2)*3' },
        tool: 'calculator',
      },
      { text: 'c', intent: 'chitchat', confidence: 0.5, summary: 's', entities: {}, tool: null },
    ];
    const out = PlanResult.parse(await planner({ op: 'plan', requests, tools: TOOLS, next_step: 3 }));
    expect(out.steps.map((s) => [s.id, s.kind, s.component, s.args])).toEqual([
      ['step-3', 'tool', 'unit_convert', { value: 10, from: 'miles', to: 'km' }],
      ['step-4', 'tool', 'calculator', { expression: 'sqrt(2)*3' }],
    ]);
  });

  it('offers tools natively, with host-shaped functions for memory and retrieval', async () => {
    const out = FunctionPrompt.parse(
      await planner({ op: 'functions', content: 'hi', intent: { intent: 'chitchat' }, tools: TOOLS }),
    );
    expect(out.functions.map((f) => [f.name, f.step.component])).toEqual([
      ['calculator', 'calculator'],
      ['unit_convert', 'unit_convert'],
      ['remember_fact', 'session_memory'],
      ['recall_facts', 'session_memory'],
      ['search_docs', 'docs_retriever'],
    ]);
  });

  const observation = (ok: boolean, replanned = false, id = 'step-1') => ({
    stepId: id,
    kind: 'tool',
    component: 'calculator',
    ok,
    output: ok ? { result: 1 } : null,
    error: ok ? null : 'Division by zero',
    replanned,
    step: { id, kind: 'tool', component: 'calculator', args: { expression: '1/0' }, reason: 'r' },
  });

  it.each([
    ['a step failed: re-plan once', [observation(false)], 0, 0, null, 'replan'],
    ['the re-plan found nothing and nothing succeeded: give up', [observation(false, true)], 0, 1, null, 'give_up'],
    ['a repaired step succeeded: answer', [observation(false, true), observation(true, false, 'step-2')], 0, 1, null, 'answer'],
    [
      'the second failure after the one re-plan: give up',
      [observation(false, true), observation(false, false, 'step-2')],
      0,
      1,
      null,
      'give_up',
    ],
    ['steps left: continue', [observation(true)], 2, 0, null, 'continue'],
    ['the step limit overrides steps left', [observation(true)], 2, 0, 'steps', 'answer'],
  ])('%s', async (_name, outcomes, pending, replans, exhausted, action) => {
    expect(LoopDecision.parse(await planner({ op: 'decide', outcomes, pending, replans, exhausted })).action).toBe(action);
  });

  it('re-plans a refused expression with a repair, and says why when there is none', async () => {
    const failed = (expression: string, error: string) => ({
      op: 'replan',
      next_step: 2,
      failed: { step: { id: 'step-1', kind: 'tool', component: 'calculator', args: { expression }, reason: 'r' }, error },
    });
    const repaired = PlanResult.parse(await planner(failed('2,5 * 2', "Unexpected ','")));
    expect(repaired.steps).toEqual([
      {
        id: 'step-2',
        kind: 'tool',
        component: 'calculator',
        args: { expression: '2.5 * 2' },
        reason: expect.stringContaining('rewrote'),
      },
    ]);
    expect(PlanResult.parse(await planner(failed('2,5 * 2', "Unexpected ','"), { repair_decimal_comma: 0 })).steps).toEqual([]);
    const none = PlanResult.parse(await planner(failed('1/0', 'Division by zero')));
    expect(none).toEqual({ steps: [], reason: 'no other way to run calculator: Division by zero' });
  });
});

describe('responder', () => {
  it('answers every request of a compound turn, and says which step failed', async () => {
    const out = AnswerPrompt.parse(
      await respond({
        content: 'q',
        intent: { intent: 'unit_conversion', confidence: 0.9, summary: 's' },
        outcomes: [
          { component: 'unit_convert', ok: true, output: { formatted: '10 mi = 16.0934 km' } },
          { component: 'calculator', ok: false, output: null, error: 'Division by zero' },
        ],
      }),
    );
    expect(out.offline_text).toBe('10 mi = 16.0934 km\n\nI could not run calculator: Division by zero');
    expect(out.messages[0].content).toContain('calculator: failed: Division by zero');
    expect(out.messages.at(-1)).toEqual({ role: 'user', content: 'q' });
  });
});

describe('model_selector', () => {
  it('routes every intent to the configured model with the offline model as fallback; offline_first flips one', async () => {
    const models = {
      models: [
        { id: 'offline', offline: true },
        { id: 'host/m', offline: false },
      ],
    };
    const out = ModelRouting.parse(await select(models));
    expect(out.default).toBe('host/m');
    expect(out.routes.arithmetic).toEqual(['host/m', 'offline']);
    expect(ModelRouting.parse(await select(models, { offline_first_arithmetic: 1 })).routes.arithmetic).toEqual([
      'offline',
      'host/m',
    ]);
    expect(ModelRouting.parse(await select(models, { offline_fallback: 0 })).routes.chitchat).toEqual(['host/m']);
  });
});

/**
 * Each agent component's frozen suite at the shipped version: every case passes (nothing ships
 * switched off for evolution to find; evolution finds what people teach it).
 */
describe.each([
  ['intent_analyser', 'agent/intent_analyser.js'],
  ['planner', 'chain/planner.js'],
  ['responder', 'agent/responder.js'],
  ['model_selector', 'model/model_selector.js'],
])('%s suite', (name, file) => {
  it('passes every case and holds cases out', async () => {
    const suite = (await loadSuite(path.resolve(__dirname, '../../datasets/suites'), name))!;
    const code = readFileSync(path.resolve(__dirname, '../../components', file), 'utf8');
    const failing: string[] = [];
    for (const c of suite.cases) {
      const scored = scoreCase(c.expect, await runInSandbox({ code, input: c.input }));
      if (!scored.passed) failing.push(c.id);
    }
    expect(failing).toEqual([]);
    expect(suite.cases.filter((c) => c.holdout).length).toBeGreaterThanOrEqual(8);
  });
});

import { GenerationStage, type GeneratedToolView, type GenerationStarted } from '../../../domain/generation';
import { builder } from '../builder';
import { decisionMutations } from '../decisionMutations';
import { listPageArgs } from '../listPageArgs';
import { withoutNulls } from '../withoutNulls';

/** Generated tools: a model's draft and proposed suite, a person's acceptance of the suite, the decision. Suites and runs travel as JSON. */
const GenerationStageEnum = builder.enumType('GenerationStage', { values: GenerationStage.options });

type Acceptance = NonNullable<GeneratedToolView['acceptance']>;
type Decision = NonNullable<GeneratedToolView['decision']>;

const GeneratedDraftRef = builder.objectRef<GeneratedToolView['draft']>('GeneratedToolDraft').implement({
  description: 'What the model drafted; name, version, code and the suite are null when its reply could not become a draft.',
  fields: (t) => ({
    request: t.exposeString('request'),
    examples: t.exposeStringList('examples'),
    prompted_by: t.field({
      type: 'JSON',
      description: '{ kind: "prediction" | "person", detail }',
      resolve: (d) => d.prompted_by,
    }),
    model: t.exposeString('model', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    version: t.exposeString('version', { nullable: true }),
    code: t.exposeString('code', { nullable: true }),
    proposed_suite: t.field({ type: 'JSON', nullable: true, resolve: (d) => d.proposed_suite }),
    proposed_run: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The draft run in the sandbox on its own proposed suite.',
      resolve: (d) => d.proposed_run,
    }),
    refusal: t.exposeString('refusal', { nullable: true }),
    created_at: t.exposeString('created_at'),
  }),
});

const SuiteAcceptanceRef = builder.objectRef<Acceptance>('GeneratedSuiteAcceptance').implement({
  fields: (t) => ({
    accepted_by: t.exposeString('accepted_by'),
    cases: t.field({ type: 'JSON', description: 'As accepted: the proposed suite or its edit.', resolve: (a) => a.cases }),
    edited: t.exposeBoolean('edited'),
    run: t.field({ type: 'JSON', description: 'The draft run in the sandbox on the accepted suite.', resolve: (a) => a.run }),
    at: t.exposeString('at'),
  }),
});

const GeneratedDecisionRef = builder.objectRef<Decision>('GeneratedToolDecision').implement({
  fields: (t) => ({
    outcome: t.exposeString('outcome', { description: 'refused, expired, rejected or promoted' }),
    reason: t.exposeString('reason'),
    decided_by: t.exposeString('decided_by'),
    at: t.exposeString('at'),
  }),
});

const GeneratedToolRef = builder.objectRef<GeneratedToolView>('GeneratedTool').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    stage: t.field({
      type: GenerationStageEnum,
      description: 'done once decided; before, where its workflow is.',
      resolve: (g) => g.stage,
    }),
    draft: t.field({ type: GeneratedDraftRef, resolve: (g) => g.draft }),
    acceptance: t.field({ type: SuiteAcceptanceRef, nullable: true, resolve: (g) => g.acceptance }),
    decision: t.field({ type: GeneratedDecisionRef, nullable: true, resolve: (g) => g.decision }),
  }),
});

const StartedGenerationRef = builder.objectRef<GenerationStarted>('StartedGeneration').implement({
  fields: (t) => ({ generation_id: t.exposeID('generation_id'), workflow_id: t.exposeString('workflow_id') }),
});

const GenerateToolInput = builder.inputType('GenerateToolInput', {
  description: 'Either request (a person\'s "make a tool that …") or prediction_id (the "requests no tool serves" prediction).',
  fields: (t) => ({ request: t.string(), prediction_id: t.id(), by: t.string() }),
});
const AcceptGeneratedSuiteInput = builder.inputType('AcceptGeneratedSuiteInput', {
  fields: (t) => ({
    by: t.string(),
    cases: t.field({ type: 'JSON', description: 'An edited suite (a list of cases); absent: the proposed suite as it is.' }),
  }),
});
const GeneratedToolDecisionInput = builder.inputType('GeneratedToolDecisionInput', {
  fields: (t) => ({ by: t.string(), reason: t.string() }),
});

builder.queryFields((t) => ({
  generated_tools: t.field({
    type: [GeneratedToolRef],
    description: 'Newest first.',
    args: listPageArgs('Generated tools', 500, 'the id of the last generation of this one.'),
    resolve: (_, a, ctx) => ctx.generation.list(a.limit, a.after),
  }),
  generated_tool: t.field({
    type: GeneratedToolRef,
    description: 'One generation: its draft, the suite as accepted, the decision; an unknown id is an error.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => ctx.generation.get(a.id),
  }),
}));

builder.mutationFields((t) => ({
  generate_tool: t.field({
    type: StartedGenerationRef,
    description: 'Starts a generateTool workflow; refused (409) without a configured model.',
    args: { input: t.arg({ type: GenerateToolInput, required: true }) },
    resolve: (_, a, ctx) => ctx.generation.generate(withoutNulls(a.input)),
  }),
  accept_generated_suite: t.field({
    type: GeneratedToolRef,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: AcceptGeneratedSuiteInput }) },
    resolve: (_, a, ctx) => ctx.generation.acceptSuite(a.id, withoutNulls(a.input)),
  }),
  ...decisionMutations(t, 'generated_tool', GeneratedToolRef, GeneratedToolDecisionInput, (ctx, id, answer, approve) =>
    ctx.generation.answer(id, answer, approve),
  ),
}));

import { OpenApiGeneratorV31, OpenAPIRegistry, zodToOpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ChatMessage, ChatSession, CreateSessionInput, SendMessageInput, SendMessageResult } from '../../domain/chat';
import { AutonomyLevel } from '../../domain/enums';
import { ChatEventData, ExecutionEventData } from '../../domain/events';
import { ChangeRules, ChangeRulesPatch } from '../../domain/evolution';
import { ExecutionEdge, ExecutionGraph, ExecutionNode, NodePositionInput } from '../../domain/execution';
import {
  Component,
  ComponentVersion,
  DecisionInput,
  Experiment,
  ExperimentCreate,
  MetaEvent,
  Prediction,
  SystemMetrics,
} from '../../domain/meta';
import { FeedbackInput, FeedbackResult, TaughtCase } from '../../domain/teaching';
import type { TextDiff } from '../../evolution/lineDiff';
import type { EvolutionScheduleView, SweepRunView } from '../services/evolutionSchedule';
import { ScheduleInput } from '../services/evolutionSchedule';
import type { GeneratedToolView } from '../../domain/generation';
import { AcceptInput, AnswerInput, GenerateInput } from '../services/generationService';
import { ModelSettingsInput } from '../services/systemService';

/**
 * The REST API as an OpenAPI 3.1 document, generated from the domain's zod schemas (the spec's
 * models) with zod-to-openapi. `responses` below is also what the conformance test validates
 * real responses against, so the document, the contract and the server cannot drift apart.
 */

// ── Payloads that are not spec models (their TS types live with their services) ──
export const ApiErrorBody = z.object({
  error: z.string().describe('a code: BAD_USER_INPUT, UNAUTHENTICATED, NOT_FOUND, CONFLICT, …'),
  message: z.string(),
});
const GraphWithCursor = ExecutionGraph.extend({
  last_seq: z.number().int().describe('resume /ws/execution with ?after_seq=last_seq'),
});
const MessagePage = z.object({ messages: z.array(ChatMessage), has_more: z.boolean() });
const Started = z.object({ experiment_id: z.string(), workflow_id: z.string(), status: z.literal('running') });
const DiffLine = z.object({
  op: z.enum(['equal', 'add', 'remove']),
  text: z.string(),
  old_line: z.number().int().nullable(),
  new_line: z.number().int().nullable(),
});
const ComponentDiff = z.object({
  component: z.string(),
  version_a: z.string(),
  version_b: z.string(),
  unified: z.string(),
  hunks: z.array(
    z.object({
      old_start: z.number().int(),
      old_lines: z.number().int(),
      new_start: z.number().int(),
      new_lines: z.number().int(),
      lines: z.array(DiffLine),
    }),
  ),
  added: z.number().int(),
  removed: z.number().int(),
}) satisfies z.ZodType<TextDiff & { component: string; version_a: string; version_b: string }>;
const ComponentChange = z.object({
  id: z.string(),
  component: z.string(),
  from_version: z.string().nullable(),
  to_version: z.string(),
  kind: z.enum(['seed', 'file_edit', 'promote', 'rollback']),
  by: z.object({ kind: z.string(), detail: z.string().nullable() }),
  reason: z.string(),
  experiment_id: z.string().nullable(),
  at: z.string(),
});
const Schedule = z.object({
  enabled: z.boolean(),
  interval_minutes: z.number(),
  next_run_at: z.string().nullable(),
  last_run_at: z.string().nullable(),
}) satisfies z.ZodType<EvolutionScheduleView>;
const SweepRun = z.object({
  workflow_id: z.string(),
  level: z.string(),
  predictions: z.number().int(),
  started: z.array(z.string()),
}) satisfies z.ZodType<SweepRunView>;
const ModelSettings = z.object({
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  has_api_key: z.boolean(),
  offline: z.boolean(),
});
const Dict = z.record(z.string(), z.unknown());
const GeneratedTool = z.object({
  id: z.string(),
  stage: z.string().describe('drafting, awaiting the suite, testing, awaiting approval, done'),
  draft: Dict.describe('the drafted tool: request, code, suite, who prompted it'),
  acceptance: Dict.nullable(),
  decision: Dict.nullable(),
});
const GenerationStarted = z.object({ generation_id: z.string(), workflow_id: z.string() });
type Assignable<A extends B, B> = A;
/** Compile-time: the service's view fits the documented shape. */
export type GeneratedToolFits = Assignable<GeneratedToolView, z.infer<typeof GeneratedTool>>;
const ConnectionTest = z.object({ ok: z.boolean(), model: z.string(), latency_ms: z.number(), message: z.string() });

/** Every REST route: method, path (OpenAPI style), what it does, its inputs and its success response. */
interface Route {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  tag: string;
  status: 200 | 201 | 202;
  response: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Spec routes are the CONTRACT.md table; the others are Evoscope's additions. */
  spec?: true;
}

const id = (name: string) => z.string().describe(name);
export const ROUTES: Route[] = [
  {
    method: 'get',
    path: '/api/chat/sessions',
    summary: 'All chat sessions (newest first; lists carry no messages)',
    tag: 'chat',
    status: 200,
    response: z.array(ChatSession),
    spec: true,
  },
  {
    method: 'post',
    path: '/api/chat/sessions',
    summary: 'Create a session',
    tag: 'chat',
    status: 201,
    body: CreateSessionInput,
    response: ChatSession,
    spec: true,
  },
  {
    method: 'get',
    path: '/api/chat/{session_id}/messages',
    summary: 'A page of messages, oldest → newest',
    tag: 'chat',
    status: 200,
    query: z.object({ before: z.string().optional(), limit: z.string().optional() }),
    response: MessagePage,
  },
  {
    method: 'post',
    path: '/api/chat/{session_id}/message',
    summary: 'Send a message; starts a run',
    tag: 'chat',
    status: 202,
    body: SendMessageInput,
    response: SendMessageResult,
    spec: true,
  },
  {
    method: 'post',
    path: '/api/chat/{session_id}/stop',
    summary: 'Stop the current generation',
    tag: 'chat',
    status: 202,
    response: z.object({ stopped_turns: z.number().int() }),
    spec: true,
  },
  {
    method: 'post',
    path: '/api/chat/{session_id}/messages/{message_id}/feedback',
    summary: 'Mark an assistant answer right or wrong; a wrong mark teaches the components that decided wrongly',
    tag: 'chat',
    status: 201,
    body: FeedbackInput,
    response: FeedbackResult,
  },
  {
    method: 'get',
    path: '/api/execution/{session_id}/graph',
    summary: "The session's whole execution graph",
    tag: 'execution',
    status: 200,
    response: GraphWithCursor,
    spec: true,
  },
  {
    method: 'get',
    path: '/api/execution/{session_id}/node/{node_id}',
    summary: 'One node with its input and output',
    tag: 'execution',
    status: 200,
    response: ExecutionNode,
    spec: true,
  },
  {
    method: 'put',
    path: '/api/execution/{session_id}/node/{node_id}/position',
    summary: 'Save where a person put the node on the canvas (the newest save is its position)',
    tag: 'execution',
    status: 200,
    body: NodePositionInput,
    response: ExecutionNode,
  },
  {
    method: 'post',
    path: '/api/execution/{session_id}/replay/{node_id}',
    summary: 'Run that node again (a new node, joined by a replay edge)',
    tag: 'execution',
    status: 202,
    response: z.object({ replay_id: z.string(), workflow_id: z.string() }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/meta/components',
    summary: 'All components with their versions',
    tag: 'meta',
    status: 200,
    response: z.object({ components: z.array(Component) }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/meta/components/{component_id}',
    summary: "One component's history",
    tag: 'meta',
    status: 200,
    response: Component.extend({ changes: z.array(ComponentChange) }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/meta/components/{component_id}/versions/{version}',
    summary: 'One version with its code',
    tag: 'meta',
    status: 200,
    response: ComponentVersion.extend({ code: z.string() }),
  },
  {
    method: 'get',
    path: '/api/meta/components/{component_id}/diff/{version_a}/{version_b}',
    summary: 'Diff between two versions',
    tag: 'meta',
    status: 200,
    query: z.object({ context: z.string().optional().describe('unchanged lines around each change, or "all"') }),
    response: ComponentDiff,
    spec: true,
  },
  {
    method: 'post',
    path: '/api/meta/components/{component_id}/rollback/{version}',
    summary: 'Make that version current again',
    tag: 'meta',
    status: 200,
    body: DecisionInput.optional(),
    response: z.object({ from: z.string().nullable(), to: z.string(), component: Component }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/meta/evolution/timeline',
    summary: "The system's evolution timeline (newest 200 meta events, oldest first)",
    tag: 'meta',
    status: 200,
    response: z.object({ timeline: z.array(MetaEvent) }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/meta/evolution/taught',
    summary: 'The taught suites: every taught case that is part of a suite, with its split and who taught it from which turn',
    tag: 'meta',
    status: 200,
    response: z.object({ cases: z.array(TaughtCase) }),
  },
  {
    method: 'get',
    path: '/api/meta/evolution/schedule',
    summary: 'The evolution sweep schedule',
    tag: 'meta',
    status: 200,
    response: Schedule,
  },
  {
    method: 'put',
    path: '/api/meta/evolution/schedule',
    summary: 'Turn the sweep on or off, set its interval',
    tag: 'meta',
    status: 200,
    body: ScheduleInput,
    response: Schedule,
  },
  {
    method: 'post',
    path: '/api/meta/evolution/schedule/run',
    summary: 'Run a sweep now and wait for it',
    tag: 'meta',
    status: 200,
    response: SweepRun,
  },
  { method: 'get', path: '/api/meta/change-rules', summary: 'The change rules', tag: 'meta', status: 200, response: ChangeRules },
  {
    method: 'put',
    path: '/api/meta/change-rules',
    summary: 'Change some rules',
    tag: 'meta',
    status: 200,
    body: ChangeRulesPatch,
    response: ChangeRules,
  },
  {
    method: 'get',
    path: '/api/meta/generated-tools',
    summary: 'Generated tools (drafted by the configured model)',
    tag: 'meta',
    status: 200,
    response: z.object({ generated_tools: z.array(GeneratedTool) }),
  },
  {
    method: 'post',
    path: '/api/meta/generated-tools',
    summary: 'Ask the configured model for a tool (a request, or the unserved-requests prediction)',
    tag: 'meta',
    status: 202,
    body: GenerateInput,
    response: GenerationStarted,
  },
  {
    method: 'get',
    path: '/api/meta/generated-tools/{generation_id}',
    summary: 'One generated tool',
    tag: 'meta',
    status: 200,
    response: GeneratedTool,
  },
  {
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/accept-suite',
    summary: "Accept (or edit) a draft's suite",
    tag: 'meta',
    status: 200,
    body: AcceptInput,
    response: GeneratedTool,
  },
  {
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/approve',
    summary: 'Approve a tested draft',
    tag: 'meta',
    status: 200,
    body: AnswerInput,
    response: GeneratedTool,
  },
  {
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/reject',
    summary: 'Reject a draft',
    tag: 'meta',
    status: 200,
    body: AnswerInput,
    response: GeneratedTool,
  },
  {
    method: 'get',
    path: '/api/system/metrics',
    summary: "System metrics (the spec's, plus run figures under `runs`)",
    tag: 'system',
    status: 200,
    response: SystemMetrics,
    spec: true,
  },
  {
    method: 'post',
    path: '/api/system/autonomy/level',
    summary: 'Set the autonomy level',
    tag: 'system',
    status: 200,
    body: z.object({ level: AutonomyLevel }),
    response: z.object({ level: AutonomyLevel }),
    spec: true,
  },
  {
    method: 'get',
    path: '/api/system/autonomy/level',
    summary: 'The autonomy level',
    tag: 'system',
    status: 200,
    response: z.object({ level: AutonomyLevel }),
  },
  {
    method: 'get',
    path: '/api/system/model',
    summary: 'The model settings (the key is never returned)',
    tag: 'system',
    status: 200,
    response: ModelSettings,
  },
  {
    method: 'put',
    path: '/api/system/model',
    summary: 'Change the model settings',
    tag: 'system',
    status: 200,
    body: ModelSettingsInput,
    response: ModelSettings,
  },
  {
    method: 'post',
    path: '/api/system/model/test',
    summary: 'Call the configured model once',
    tag: 'system',
    status: 200,
    response: ConnectionTest,
  },
  {
    method: 'get',
    path: '/api/system/predictions',
    summary: "The system's suggested changes",
    tag: 'system',
    status: 200,
    response: z.object({ predictions: z.array(Prediction) }),
    spec: true,
  },
  {
    method: 'post',
    path: '/api/system/predictions/{prediction_id}/execute',
    summary: 'Carry one out (starts an experiment)',
    tag: 'system',
    status: 202,
    response: Started,
    spec: true,
  },
  {
    method: 'get',
    path: '/api/sandbox/experiments',
    summary: 'All experiments, newest first',
    tag: 'sandbox',
    status: 200,
    response: z.object({ experiments: z.array(Experiment) }),
  },
  {
    method: 'post',
    path: '/api/sandbox/experiments',
    summary: 'Create an A/B experiment',
    tag: 'sandbox',
    status: 202,
    body: ExperimentCreate,
    response: Started,
    spec: true,
  },
  {
    method: 'get',
    path: '/api/sandbox/experiments/{experiment_id}',
    summary: 'Its results',
    tag: 'sandbox',
    status: 200,
    response: Experiment,
    spec: true,
  },
  {
    method: 'post',
    path: '/api/sandbox/experiments/{experiment_id}/approve',
    summary: 'Accept its change',
    tag: 'sandbox',
    status: 200,
    body: DecisionInput.optional(),
    response: Experiment,
    spec: true,
  },
  {
    method: 'post',
    path: '/api/sandbox/experiments/{experiment_id}/reject',
    summary: 'Refuse its change',
    tag: 'sandbox',
    status: 200,
    body: DecisionInput.optional(),
    response: Experiment,
    spec: true,
  },
];

/** The WebSocket channels' messages (not expressible as OpenAPI paths; listed as schemas and validated by the conformance test). */
export const CHANNEL_MESSAGES = {
  ChatInitialState: z.object({
    type: z.literal('initial_state'),
    data: z.object({ session: ChatSession, messages: z.array(ChatMessage), has_more: z.boolean(), last_seq: z.number().int() }),
  }),
  ExecutionInitialState: z.object({ type: z.literal('initial_state'), data: GraphWithCursor }),
  MetaInitialState: z.object({
    type: z.literal('initial_state'),
    data: z.object({
      metrics: SystemMetrics,
      autonomy_level: AutonomyLevel,
      timeline: z.array(MetaEvent),
      last_seq: z.number().int(),
    }),
  }),
  MetaEventMessage: z.object({ type: z.literal('meta_event'), seq: z.number().int(), data: MetaEvent }),
  ChatEventMessage: z.object({
    type: z.literal('chat_event'),
    session_id: z.string(),
    seq: z.number().int(),
    data: ChatEventData,
  }),
  ExecutionEventMessage: z.object({
    type: z.literal('execution_event'),
    session_id: z.string(),
    seq: z.number().int(),
    data: ExecutionEventData,
  }),
  MessageReceived: z.object({ type: z.literal('message_received'), message_id: z.string(), node_id: z.string() }),
} as const;

/** The spec's models (its section 3): each is a component of this document and an object type of the GraphQL schema. */
export const SPEC_MODELS = {
  ChatMessage,
  ChatSession,
  ExecutionNode,
  ExecutionEdge,
  ExecutionGraph,
  ComponentVersion,
  Component,
  MetaEvent,
  SystemMetrics,
  Prediction,
  Experiment,
} satisfies Record<string, z.ZodObject>;

const MODELS = { ...SPEC_MODELS, ExperimentCreate, ApiError: ApiErrorBody };

const pathParams = (path: string) => {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return names.length ? z.object(Object.fromEntries(names.map((n) => [n, id(n)]))) : undefined;
};
const error = (description: string) => ({ description, content: { 'application/json': { schema: ApiErrorBody } } });

function buildDocument() {
  const registry = new OpenAPIRegistry();
  // Named on the domain's own instances (registry.register would need zod's prototype extended, which zod 4's
  // classes do not inherit), so every use of a model, nested or not, becomes a $ref to its component.
  const named = Object.entries({ ...MODELS, ...CHANNEL_MESSAGES });
  for (const [refId, schema] of named) zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The access token (EVOSCOPE_TOKEN); `?token=` also works on WebSocket URLs',
  });
  for (const r of ROUTES) {
    const config: RouteConfig = {
      method: r.method,
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      security: [{ bearer: [] }],
      ...(r.spec ? {} : { description: "An Evoscope addition to the spec's routes." }),
      request: {
        ...(pathParams(r.path) ? { params: pathParams(r.path) } : {}),
        ...(r.query ? { query: r.query } : {}),
        ...(r.body ? { body: { content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: {
        [r.status]: { description: 'OK', content: { 'application/json': { schema: r.response } } },
        400: error('bad input; nothing changed'),
        401: error('no or a wrong token'),
        404: error('no such session, node, component, version or experiment'),
        ...(r.method === 'get' ? {} : { 409: error('refused in the current state (e.g. not awaiting approval)') }),
      },
    };
    registry.registerPath(config);
  }
  return new OpenApiGeneratorV31([
    ...registry.definitions,
    ...named.map(([, schema]) => ({ type: 'schema' as const, schema })),
  ]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Evoscope API',
      version: '1',
      description:
        'REST routes of Evoscope. Field names follow section 3 of the spec (snake_case); extra fields may appear. ' +
        'GraphQL (the primary API) is at /graphql; WebSocket channels: /ws/chat/{session_id}, /ws/execution/{session_id}, /ws/meta ' +
        '(their messages are the *InitialState, *EventMessage and MessageReceived schemas).',
    },
    servers: [{ url: '/' }],
  });
}

let document: ReturnType<typeof buildDocument> | null = null;
/** Built once per process: registering the schemas twice would duplicate their components. */
export function openApiDocument() {
  document ??= buildDocument();
  return document;
}

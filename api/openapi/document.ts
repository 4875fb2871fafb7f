import { OpenApiGeneratorV31, OpenAPIRegistry, zodToOpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ApiErrorBody } from '../../domain/apiError';
import { CHANNEL_MESSAGES } from '../../domain/channels';
import { ChatMessage, ChatSession } from '../../domain/chat';
import { ExecutionEdge, ExecutionGraph, ExecutionNode } from '../../domain/execution';
import {
  Component,
  ComponentVersion,
  Experiment,
  ExperimentCreate,
  MetaEvent,
  Prediction,
  SystemMetrics,
} from '../../domain/meta';
import { API_ROUTES } from '../rest/apiRoutes';

/**
 * The REST API as an OpenAPI 3.1 document, generated with zod-to-openapi from the route
 * declarations express serves (../rest/apiRoutes.ts) and the domain's zod schemas (the spec's
 * models). The declarations' response schemas are also what the conformance test validates real
 * responses against, so the document, the contract and the server cannot drift apart.
 */

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
  return names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string().describe(n)]))) : undefined;
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
  for (const r of API_ROUTES) {
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
        [r.status]: { description: 'OK', content: { [r.textType ?? 'application/json']: { schema: r.response } } },
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

import type { z } from 'zod';
import type { ApiServices } from '../services/apiServices';

/**
 * A REST route declared once (ts-rest style): its method, path, what it does, its inputs' and its
 * answer's schemas, and its handler. Express registers the routes from these declarations
 * (./registerRoutes.ts) and the OpenAPI document is generated from the same ones
 * (../openapi/document.ts), so a route cannot be served undocumented or documented unserved.
 * Handlers stay thin: they hand the raw inputs to the services, which validate them (GraphQL and
 * the channels call the same services), and a handler's answer must fit its declared response.
 */

/** The names of a path's `{param}`s. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;

/** What a handler reads off the request, as it arrived: the services validate it. */
export interface RouteRequest<P extends string> {
  params: Record<PathParams<P>, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface RouteDeclaration<P extends string = string, R extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put';
  /** OpenAPI style (`/api/chat/{session_id}/message`): the document's key; express gets `:session_id`. */
  path: P;
  summary: string;
  tag: 'chat' | 'execution' | 'meta' | 'system' | 'sandbox';
  /** Spec routes are the CONTRACT.md table; the others are Evoscope's additions. */
  spec?: true;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and its body; refusals answer the ApiErrorBody (400, 401, 404, 409). */
  status: 200 | 201 | 202;
  response: R;
  /** The body's media type when it is text (the handler answers a string), e.g. Prometheus's; JSON when absent. */
  textType?: string;
  handle(request: RouteRequest<P>, services: ApiServices): Promise<z.input<R>>;
}

/** Declares a route; the generics tie the handler's params to the path and its answer to the response schema. */
export const declareRoute = <P extends string, R extends z.ZodType>(route: RouteDeclaration<P, R>): RouteDeclaration<P, R> =>
  route;

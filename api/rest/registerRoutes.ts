import { Router, type Request } from 'express';
import { handle, handleText } from './handle';
import type { ApiServices } from '../services/apiServices';
import type { RouteDeclaration } from './routeDeclaration';

/** Express's form of an OpenAPI path: `{session_id}` → `:session_id`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** One router serving every declared route, in declaration order, each answering its declared success status. */
export function routerFor(routes: readonly RouteDeclaration[], services: ApiServices): Router {
  const router = Router();
  for (const route of routes) {
    const run = (req: Request) => route.handle({ params: req.params, query: req.query, body: req.body }, services);
    router[route.method](
      expressPath(route.path),
      route.textType
        ? handleText(route.status, route.textType, run as (req: Request) => Promise<string>)
        : handle(route.status, run),
    );
  }
  return router;
}

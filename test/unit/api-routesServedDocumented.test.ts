import type { Express } from 'express';
import { buildApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { openApiDocument } from '../../api/openapi/document';

/**
 * The routes the API serves are the routes its OpenAPI document describes: the served set is read
 * off the express app buildApp really builds (its router stack, nested routers included), not off
 * the declarations both are generated from, so a route registered by hand beside them fails here.
 */

/** The API's own description: public, served beside the routes it describes. */
const DESCRIPTION_ROUTES = ['GET /api/openapi.json', 'GET /api/docs'];
/** Declared routes outside /api: Prometheus's conventional path. */
const ROOT_ROUTES = ['GET /metrics'];

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** `METHOD /path` (OpenAPI style) for every route in a router stack, mounted routers walked with their mount path. */
function routesIn(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${String(layer.route.path)}`.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (!layer.handle.stack) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return routesIn(layer.handle.stack, prefix + mount);
  });
}

const expressApp = () => {
  // Building the app wires the services to their dependencies without calling them: nothing here is reached.
  const deps = { env: { EVOSCOPE_ALLOWED_HOSTS: '', EVOSCOPE_CORS_ORIGINS: '' }, token: 'unused' } as unknown as ApiDeps;
  return buildApp(deps).server.listeners('request')[0] as Express;
};
const servedApiRoutes = (app: Express) =>
  routesIn(app.router.stack as unknown as Layer[]).filter(
    (r) => (r.split(' ')[1].startsWith('/api/') || ROOT_ROUTES.includes(r)) && !DESCRIPTION_ROUTES.includes(r),
  );

const documentedRoutes = () =>
  Object.entries(openApiDocument().paths ?? {}).flatMap(([path, operations]) =>
    Object.keys(operations ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
  );

test('every served /api route is documented, and every documented route is served', () => {
  const served = servedApiRoutes(expressApp());
  expect(openApiDocument().openapi).toBe('3.1.0');
  expect(served.length).toBeGreaterThan(30);
  expect([...served].sort()).toEqual([...documentedRoutes()].sort());
});

test('a route registered beside the declarations is seen as served (so it fails the comparison above)', () => {
  const app = expressApp();
  app.get('/api/stray/:id', (_req, res) => res.json({}));
  expect(servedApiRoutes(app)).toContain('GET /api/stray/{id}');
  expect(documentedRoutes()).not.toContain('GET /api/stray/{id}');
});

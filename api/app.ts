import express from 'express';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { WebSocketServer } from 'ws';
import { requestUrl, tokenFromRequest, tokensMatch } from './auth';
import type { ApiDeps } from './deps';
import { createGraphQL } from './graphql/yoga';
import { attachGraphQLWs, GRAPHQL_WS_LIMITS } from './graphql/wsServer';
import { API_ROUTES } from './rest/apiRoutes';
import { errorHandler } from './rest/handle';
import { routerFor } from './rest/registerRoutes';
import { openApiDocument } from './openapi/document';
import { renderReferencePage } from './openapi/referencePage';
import { createApiServices } from './services/apiServices';
import { apiIdentity, checkHealth } from './services/health';
import { createChannelServer, matchChannel } from './ws/channels';
import { refuseUpgrade } from './ws/socketGuard';
import type { IncomingMessage } from 'node:http';
import { createHostCheck, foreignHostMessage } from '../domain/server/hostAllowList';
import { loadGraphiQLPage, wantsGraphiQLPage, type GraphiQLPage } from './graphql/graphiqlPage';
import { corsAllowList } from './http/corsAllowList';
import { consoleSecurityPolicy } from './http/consoleSecurityPolicy';
import { createMetricsListener } from './metrics/metricsListener';

const WEB_DIST = path.resolve(__dirname, '..', 'web', 'dist');

export interface App {
  server: Server;
  start(port: number, host: string): Promise<number>;
  stop(): Promise<void>;
}

let referenceHtml: string | null = null;
const referencePage = () => (referenceHtml ??= renderReferencePage(openApiDocument() as unknown as Record<string, unknown>));
let graphiql: Promise<GraphiQLPage> | null = null;
const graphiqlPage = () => (graphiql ??= loadGraphiQLPage({ title: 'Evoscope GraphQL' }));

/** One port: REST under /api, GraphQL (HTTP + graphql-ws) on /graphql, the channels under /ws, the console at /. */
export function buildApp(deps: ApiDeps): App {
  const services = createApiServices(deps);
  const yoga = createGraphQL(deps, services);
  const app = express();
  app.disable('x-powered-by');
  const knownHost = createHostCheck(deps.env.EVOSCOPE_ALLOWED_HOSTS);
  const foreignHost = foreignHostMessage('EVOSCOPE_ALLOWED_HOSTS');
  app.use((req, res, next) => (knownHost(req) ? next() : res.status(403).json({ error: 'FOREIGN_HOST', message: foreignHost })));
  app.use(corsAllowList(deps.env.EVOSCOPE_CORS_ORIGINS), consoleSecurityPolicy);

  // Which API process answers (the console's restart notice): 200 even while a dependency is down.
  app.get('/healthz/api', async (_req, res) => {
    res.json(await apiIdentity(deps.env));
  });
  app.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps);
    res.status(report.ok ? 200 : 503).json(report);
  });

  const requireToken: express.RequestHandler = (req, res, next) => {
    if (tokensMatch(deps.token, tokenFromRequest(req))) return next();
    res.status(401).json({ error: 'UNAUTHENTICATED', message: 'a valid access token is required (Authorization: Bearer …)' });
  };
  // GraphiQL's page itself is public (it holds no data) and is all such a request gets; every other
  // request to /graphql is an operation for yoga, and needs the token however its query string parses.
  const graphiqlOrToken: express.RequestHandler = async (req, res, next) => {
    if (!wantsGraphiQLPage(req)) return requireToken(req, res, next);
    const page = await graphiqlPage();
    res.setHeader('Content-Security-Policy', page.contentSecurityPolicy(req));
    res.type('html').send(page.html);
  };
  // GraphQL bodies are JSON (the schema takes no uploads) and bounded like REST's, so an oversized
  // or malformed body is refused (413, 400) before yoga buffers it; yoga reads the parsed body.
  const graphqlBody = express.json({ limit: '256kb', type: () => true });
  app.all('/graphql', graphiqlOrToken, graphqlBody, (req, res) => void yoga(req, res));
  // The API's description is public like GraphiQL's page: it holds the shape of the API, no data and no secrets.
  app.get('/api/openapi.json', (_req, res) => res.json(openApiDocument()));
  app.get('/api/docs', (_req, res) => res.type('html').send(referencePage()));
  app.use('/api', requireToken, express.json({ limit: '64kb' }));
  // Prometheus's conventional path is outside /api, and as guarded.
  app.use('/metrics', requireToken);
  app.use(routerFor(API_ROUTES, services));
  app.use('/api', (_req, res) => res.status(404).json({ error: 'NOT_FOUND', message: 'no such route' }));
  const metrics = createMetricsListener(deps.env, services.metrics, knownHost);

  if (existsSync(WEB_DIST)) {
    app.use(express.static(WEB_DIST, { index: 'index.html' }));
    app.get(/^\/(?!api|graphql|ws|healthz).*/, (_req, res) => res.sendFile(path.join(WEB_DIST, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.type('text').send('Evoscope API is running. Build the console with `npx vite build web`.'));
  }
  app.use(errorHandler);

  const server = createServer(app);
  // After listen, a server error (e.g. too many open files on accept) is logged; the server keeps
  // serving the connections it has, and `start` reports errors that happen while binding.
  server.on('error', (err) => console.error('http server error:', err));
  const graphqlWss = new WebSocketServer({ noServer: true, maxPayload: GRAPHQL_WS_LIMITS.maxPayloadBytes });
  const graphqlWs = attachGraphQLWs(graphqlWss, yoga, deps.token, (req) => tokenFromRequest(req as IncomingMessage));
  const channels = createChannelServer(deps, services);

  server.on('upgrade', (req, socket, head) => {
    if (!knownHost(req)) return refuseUpgrade(socket, 403, 'FOREIGN_HOST', foreignHost);
    const pathname = requestUrl(req)?.pathname;
    if (pathname === '/graphql') {
      graphqlWss.handleUpgrade(req, socket, head, (ws) => graphqlWss.emit('connection', ws, req));
      return;
    }
    const channel = pathname ? matchChannel(pathname) : null;
    if (!channel) return refuseUpgrade(socket, 404, 'NOT_FOUND', 'no such WebSocket channel');
    if (!tokensMatch(deps.token, tokenFromRequest(req)))
      return refuseUpgrade(socket, 401, 'UNAUTHENTICATED', 'a valid access token is required (?token=…)');
    channels.handleUpgrade(req, socket, head, (ws) => channels.emit('connection', ws, req, channel));
  });

  return {
    server,
    async start(port, host) {
      const listening = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
      await metrics.listen();
      return listening;
    },
    async stop() {
      await metrics.close();
      await graphqlWs.dispose();
      for (const ws of channels.clients) ws.terminate();
      channels.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

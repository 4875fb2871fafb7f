/**
 * The console's two channels to the API: urql over HTTP for queries and
 * mutations, and one graphql-ws socket for every subscription. Both carry the
 * access token. The socket's lifecycle drives the connection badge.
 */
import { Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createStore, type Store } from './store';
import { readApiIdentity, reconnectNotice, type ApiIdentity } from './apiRestarts';
import { readServiceProblems } from './serviceProblems';

export type ConnectionPhase = 'connecting' | 'live' | 'reconnecting' | 'failed';
export interface ConnectionState {
  phase: ConnectionPhase;
  /** When the phase began (ms since epoch). */
  since: number;
  /** Consecutive reconnect attempts since the connection was last live. */
  attempts: number;
  detail: string | null;
}

export type AccessProblem = 'rejected' | null;

export interface Transport {
  urql: Client;
  ws: WsClient;
  connection: Store<ConnectionState>;
  access: Store<AccessProblem>;
  /** A short note after reconnecting to a restarted API ("reconnected after API restart"), for a minute. */
  restartNotice: Store<string | null>;
  /** Supervised services that are not in working order ("worker crash-looping: …"), from /healthz/api; null when all are. */
  serviceProblems: Store<string | null>;
  token: string;
  dispose(): void;
}

const RESTART_NOTICE_MS = 60_000;
/** How often the console asks /healthz/api about the supervised services (a crash loop restarts within seconds). */
const SERVICE_CHECK_MS = 10_000;

/** Close codes after which retrying with the same token cannot help. */
const UNAUTHORIZED_CLOSE_CODES = new Set([4401, 4403]);

function isCloseEvent(value: unknown): value is CloseEvent {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

function graphqlWsUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/graphql`;
}

export function createTransport(token: string): Transport {
  const connection = createStore<ConnectionState>({ phase: 'connecting', since: Date.now(), attempts: 0, detail: null });
  const access = createStore<AccessProblem>(null);
  const setPhase = (phase: ConnectionPhase, detail: string | null = null, attempts = connection.get().attempts) => {
    const cur = connection.get();
    if (cur.phase === phase && cur.detail === detail && cur.attempts === attempts) return;
    connection.set({ phase, since: cur.phase === phase ? cur.since : Date.now(), attempts, detail });
  };

  const restartNotice = createStore<string | null>(null);
  let apiIdentity: ApiIdentity | null = null;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const serviceProblems = createStore<string | null>(null);
  /** After each (re)connect and every SERVICE_CHECK_MS: which API process answered (a new one means it was restarted), and how the services are. */
  const checkApiIdentity = async () => {
    try {
      const res = await fetch('/healthz/api');
      const health: unknown = await res.json();
      serviceProblems.set(readServiceProblems(health));
      const next = readApiIdentity(health);
      const notice = reconnectNotice(apiIdentity, next);
      if (next) apiIdentity = next;
      if (!notice) return;
      restartNotice.set(notice);
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => restartNotice.set(null), RESTART_NOTICE_MS);
    } catch {
      // /healthz unreachable right after connecting: the badge already shows how the connection is.
    }
  };

  const serviceCheck = setInterval(() => {
    if (connection.get().phase === 'live') void checkApiIdentity();
  }, SERVICE_CHECK_MS);

  let everLive = false;
  const ws = createWsClient({
    url: graphqlWsUrl(),
    connectionParams: { token },
    // Keep one socket open even with no subscription: the badge reports the
    // API's reachability at all times, and streams resume on the same socket.
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (errOrClose) => !(isCloseEvent(errOrClose) && UNAUTHORIZED_CLOSE_CODES.has(errOrClose.code)),
    retryWait: async (retries) => {
      // 0.5 s, 1 s, 2 s … capped at 5 s, with jitter so many tabs do not stampede.
      const base = Math.min(5000, 500 * 2 ** retries);
      await new Promise((resolve) => setTimeout(resolve, base / 2 + Math.random() * (base / 2)));
    },
    onNonLazyError: (err) => {
      if (isCloseEvent(err) && UNAUTHORIZED_CLOSE_CODES.has(err.code)) {
        access.set('rejected');
        setPhase('failed', 'The API refused the access token.');
      } else {
        setPhase('failed', err instanceof Error ? err.message : 'The connection to the API failed.');
      }
    },
  });
  ws.on('connecting', (isRetry) => {
    if (isRetry || everLive) setPhase('reconnecting', null, connection.get().attempts + 1);
    else setPhase('connecting');
  });
  ws.on('connected', () => {
    everLive = true;
    setPhase('live', null, 0);
    void checkApiIdentity();
  });
  ws.on('closed', (event) => {
    if (isCloseEvent(event) && UNAUTHORIZED_CLOSE_CODES.has(event.code)) {
      access.set('rejected');
      setPhase('failed', 'The API refused the access token.');
      return;
    }
    if (everLive) setPhase('reconnecting', isCloseEvent(event) && event.reason ? event.reason : null);
  });

  const urql = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.response?.status === 401) access.set('rejected');
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    urql,
    ws,
    connection,
    access,
    restartNotice,
    serviceProblems,
    token,
    dispose() {
      clearTimeout(noticeTimer);
      clearInterval(serviceCheck);
      void ws.dispose();
    },
  };
}

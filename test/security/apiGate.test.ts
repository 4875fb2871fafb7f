import { api } from '../../harness/client';
import { rawRequest, upgradeStatus } from '../support/rawHttp';
import { startTestStack, TEST_TOKEN, TestStack } from '../../harness/stack';

/**
 * The API's gate, attacked the way a web page or a local process would: no operation runs
 * without the token however the request is dressed, GraphiQL's page is the one thing that loads
 * without it, no foreign origin may read a response, and no foreign `Host` is answered.
 */
let stack: TestStack;
let sessionTitle: string;
const EVIL_ORIGIN = 'https://evil.example';
const FRIEND_ORIGIN = 'https://friend.example';

beforeAll(async () => {
  stack = await startTestStack('gate', { EVOSCOPE_CORS_ORIGINS: FRIEND_ORIGIN }, { withWorker: false });
  const created = await api(stack, 'POST', '/api/chat/sessions', { title: 'private chat' });
  sessionTitle = created.body.title;
});
afterAll(() => stack?.stop());

const QUERY = `query=${encodeURIComponent('{sessions{id title}}')}`;
const SUBSCRIPTION = `query=${encodeURIComponent('subscription{meta_events{seq}}')}`;
const paddings: [string, string][] = [
  ['1,000 &', '&'.repeat(1000)],
  ['5,000 &', '&'.repeat(5000)],
  ['1,000 a=1& pairs', 'a=1&'.repeat(1000)],
  ['1,000 & between encoded separators (%26)', '%26&'.repeat(1000)],
];
/** What a page's `fetch` sends by default, and no Accept at all (curl-like clients). */
const queryAccepts: [string, Record<string, string>][] = [
  ['Accept: */*', { accept: '*/*' }],
  ['no Accept', {}],
];
/** A subscription answered as server-sent events. */
const streamAccepts: [string, Record<string, string>][] = [
  ['Accept: text/event-stream, */*', { accept: 'text/event-stream, */*;q=0.8' }],
  ['Accept: */*', { accept: '*/*' }],
];
const cases = <T>(accepts: [string, T][]) =>
  paddings.flatMap(([padName, padding]) =>
    accepts.map(([acceptName, headers]) => [padName, acceptName, padding, headers] as const),
  );

describe('no GraphQL operation runs without the token', () => {
  it.each(cases(queryAccepts))('a GET query padded with %s (%s) is refused', async (_pad, _accept, padding, headers) => {
    const answer = await rawRequest(stack.baseUrl, `/graphql?${padding}${QUERY}`, { headers });
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain(sessionTitle);
  });

  it.each(cases(streamAccepts))(
    'a subscription over server-sent events padded with %s (%s) is refused',
    async (_pad, _accept, padding, headers) => {
      const answer = await rawRequest(stack.baseUrl, `/graphql?${padding}${SUBSCRIPTION}`, { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).not.toMatch(/event-stream/);
    },
  );

  it.each([
    ['a query', QUERY, 'application/json'],
    ['a subscription', SUBSCRIPTION, 'text/event-stream'],
  ])('%s with no padding is refused (as it was before)', async (_name, operation, accept) => {
    expect((await rawRequest(stack.baseUrl, `/graphql?${operation}`, { headers: { accept } })).status).toBe(401);
  });

  it('a POST over server-sent events with the query in a padded URL is refused', async () => {
    const answer = await rawRequest(stack.baseUrl, `/graphql?${'&'.repeat(1000)}${SUBSCRIPTION}`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription{meta_events{seq}}' }),
    });
    expect(answer.status).toBe(401);
  });

  it("a browser GET (Accept: text/html) that carries a query gets GraphiQL's page, not the data", async () => {
    const answer = await rawRequest(stack.baseUrl, `/graphql?${'&'.repeat(1000)}${QUERY}`, {
      headers: { accept: 'text/html,application/json' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.body).not.toContain(sessionTitle);
  });

  it("GraphiQL's page loads without the token and with a policy that allows no other origin", async () => {
    const answer = await rawRequest(stack.baseUrl, '/graphql', { headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('YogaGraphiQL');
    expect(answer.body).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('with the token the padded query runs', async () => {
    const answer = await rawRequest(stack.baseUrl, `/graphql?${'&'.repeat(1000)}${QUERY}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${stack.token}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(sessionTitle);
  });
});

describe('the system activity (GET /api/system/activity) needs the token', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['the token under another scheme', { authorization: `Basic ${Buffer.from(`x:${TEST_TOKEN}`).toString('base64')}` }],
  ])('with %s it is refused', async (_name, headers: Record<string, string>) => {
    const answer = await rawRequest(stack.baseUrl, '/api/system/activity', {
      headers: { accept: 'application/json', ...headers },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain('minutes');
  });

  it('with the token it answers (so the refusals above are the gate at work)', async () => {
    const answer = await rawRequest(stack.baseUrl, '/api/system/activity', {
      headers: { accept: 'application/json', authorization: `Bearer ${stack.token}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('minutes');
  });
});

describe('cross-origin reads', () => {
  it.each(['/graphql', '/api/chat/sessions', '/api/system/activity'])(
    'a foreign Origin gets no CORS header on %s',
    async (path) => {
      const get = await rawRequest(stack.baseUrl, path, {
        headers: { origin: EVIL_ORIGIN, accept: 'application/json', authorization: `Bearer ${stack.token}` },
      });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
      const preflight = await rawRequest(stack.baseUrl, path, {
        method: 'OPTIONS',
        headers: {
          origin: EVIL_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it('an origin on EVOSCOPE_CORS_ORIGINS may call, without credentials', async () => {
    const preflight = await rawRequest(stack.baseUrl, '/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: FRIEND_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(FRIEND_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await rawRequest(stack.baseUrl, '/api/chat/sessions', {
      headers: { origin: FRIEND_ORIGIN, authorization: `Bearer ${stack.token}` },
    });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(FRIEND_ORIGIN);
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('a foreign Host (DNS rebinding) is refused', () => {
  it.each(['/healthz', '/api/chat/sessions', '/api/system/activity', '/graphql', '/'])('HTTP %s', async (path) => {
    // A request without Host is refused too (by node's HTTP/1.1 parser with 400, or by the gate).
    expect([400, 403]).toContain((await rawRequest(stack.baseUrl, path, { withoutHost: true })).status);
    const answer = await rawRequest(stack.baseUrl, path, {
      headers: { host: 'evil.example', authorization: `Bearer ${stack.token}`, accept: 'application/json' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(sessionTitle);
  });

  it.each([
    ['graphql-ws', '/graphql', { 'sec-websocket-protocol': 'graphql-transport-ws' }],
    ['a channel', `/ws/meta?token=${'TOKEN'}`, {}],
  ])('the WebSocket upgrade of %s', async (_name, target, headers) => {
    const path = target.replace('TOKEN', stack.token);
    expect(await upgradeStatus(stack.baseUrl, path, { ...headers, host: 'evil.example:4000' })).toBe(403);
    // The same handshake with a loopback name is accepted, so the refusal is the Host's doing.
    expect(await upgradeStatus(stack.baseUrl, path, { ...headers, host: `localhost:${new URL(stack.baseUrl).port}` })).toBe(101);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST', '192.168.1.5', '[fe80::1]'])(
    'the host %s is answered',
    async (name) => {
      const answer = await rawRequest(stack.baseUrl, '/healthz/api', { headers: { host: `${name}:4000` } });
      expect(answer.status).toBe(200);
    },
  );
});

import net from 'node:net';
import WebSocket from 'ws';
import { api, waitForTurn, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * Hostile input against the real stack (REST, GraphQL over HTTP, the three /ws channels and
 * graphql-ws): each case is refused with a 4xx or a clean close with a code and a reason, shows
 * no stack trace, changes nothing in the store, and leaves every other connection alone.
 */
let stack: TestStack;
let sessionId: string;
/** A well-behaved client that stays connected through every case. */
let bystander: { socket: WebSocket; messages: any[] };

const COLLECTIONS = [
  'sessions',
  'messages',
  'turns',
  'execution_nodes',
  'execution_node_positions',
  'events',
  'answer_feedback',
  'taught_cases',
];
async function storeCounts() {
  const counts: Record<string, number> = {};
  for (const name of COLLECTIONS) counts[name] = await stack.mongo.db.collection(name).countDocuments();
  return counts;
}

/** File positions, node_modules paths or "at fn (" frames: what a leaked stack trace looks like. */
function expectNoStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at |node_modules|\.[jt]s:\d+|Error: .*\n/);
}

let before: Record<string, number>;
/** Every case but the last must leave the store exactly as it found it. */
let expectStoreUnchanged = true;
beforeAll(async () => {
  stack = await startTestStack('hostile');
  sessionId = (await api(stack, 'POST', '/api/chat/sessions', {})).body.id;
  const socket = new WebSocket(`${stack.wsUrl}/ws/chat/${sessionId}?token=${stack.token}`);
  const messages: any[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  bystander = { socket, messages };
});
beforeEach(async () => {
  before = await storeCounts();
});
afterEach(async () => {
  if (expectStoreUnchanged) expect(await storeCounts()).toEqual(before);
});
afterAll(async () => {
  bystander?.socket.close();
  await stack?.stop();
});

// ---------------------------------------------------------------------------------------- REST

async function rawFetch(path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token = stack.token, ...rest } = init;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    ...rest,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(rest.headers ?? {}),
    },
  });
  const text = await res.text();
  expectNoStackTrace(text);
  return { status: res.status, text, json: () => JSON.parse(text) };
}

describe('REST', () => {
  test.each([
    ['no token', null],
    ['a wrong token', 'wrong-token-wrong-token'],
    ['a token one character short', 'test-token-0123456789abcde'],
  ])('%s: 401 on reads and writes', async (_what, token) => {
    expect((await rawFetch('/api/chat/sessions', { token })).status).toBe(401);
    expect((await rawFetch(`/api/chat/${sessionId}/message`, { method: 'POST', body: '{"content":"hi"}', token })).status).toBe(
      401,
    );
    const feedback = `/api/chat/${sessionId}/messages/any-message/feedback`;
    expect((await rawFetch(feedback, { method: 'POST', body: '{"verdict":"right"}', token })).status).toBe(401);
    expect((await rawFetch('/api/meta/evolution/taught', { token })).status).toBe(401);
  });

  test.each([
    ['malformed JSON', '{"content": "hi"'],
    ['a JSON string', '"hi"'],
    ['content of the wrong type', '{"content": 42}'],
    ['empty content', '{"content": "   "}'],
    ['content over the limit', JSON.stringify({ content: 'x'.repeat(8001) })],
    ['an extra nested object', '{"content": {"$gt": ""}}'],
  ])('a message with %s: 400', async (_what, body) => {
    const res = await rawFetch(`/api/chat/${sessionId}/message`, { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'BAD_USER_INPUT' });
  });

  test('a session title of the wrong type: 400', async () => {
    expect((await rawFetch('/api/chat/sessions', { method: 'POST', body: '{"title": ["a"]}' })).status).toBe(400);
  });

  test('an oversized body: 413', async () => {
    const res = await rawFetch(`/api/chat/${sessionId}/message`, {
      method: 'POST',
      body: JSON.stringify({ content: 'x'.repeat(300 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  test.each([
    ['an unknown session', 404, () => '/api/chat/no-such-session/messages'],
    ['an unknown node', 404, () => `/api/execution/${sessionId}/node/no-such-node`],
    ['an unknown route', 404, () => '/api/no/such/route'],
    ['an encoded slash in an id', 400, () => '/api/chat/a%2Fb/messages'],
    ['an encoded ../ in an id', 400, () => '/api/chat/..%2F..%2Fsystem/messages'],
    ['a dot-dot id', 404, () => '/api/chat/../chat/sessions/../x/messages'],
    ['invalid percent-encoding', 400, () => '/api/chat/%E0%A4%A/messages'],
    ['a 10,000-character id', 400, () => `/api/chat/${'a'.repeat(10_000)}/messages`],
    ['a NUL in an id', 400, () => '/api/chat/a%00b/messages'],
  ])('%s: %i', async (_what, status, path) => {
    expect((await rawFetch(path())).status).toBe(status);
  });

  test.each([
    ['malformed JSON', '{"x": 1'],
    ['a coordinate that is a string', '{"x": "1", "y": 2}'],
    ['an infinite coordinate', '{"x": 1e999, "y": 2}'],
    ['a missing coordinate', '{"x": 1}'],
    ['an operator for a coordinate', '{"x": {"$gt": 0}, "y": 2}'],
  ])('a node position with %s: 400, nothing stored', async (_what, body) => {
    expect((await rawFetch(`/api/execution/${sessionId}/node/any-node/position`, { method: 'PUT', body })).status).toBe(400);
  });

  test('moving an unknown node: 404, nothing stored', async () => {
    const body = '{"x": 1, "y": 2}';
    expect((await rawFetch(`/api/execution/${sessionId}/node/no-such-node/position`, { method: 'PUT', body })).status).toBe(404);
  });

  test('posting to an unknown session: 404, nothing stored', async () => {
    expect((await rawFetch('/api/chat/no-such-session/message', { method: 'POST', body: '{"content":"hi"}' })).status).toBe(404);
  });

  test('a negative or absurd page limit: 400', async () => {
    for (const limit of ['-1', '1e9', 'abc'])
      expect((await rawFetch(`/api/chat/${sessionId}/messages?limit=${limit}`)).status).toBe(400);
  });
});

describe('marking an answer', () => {
  /** One answered turn (stored before the counts of these cases are taken). */
  let answered: { answerId: string; questionId: string; otherSession: string };
  beforeAll(async () => {
    const sent = (await api(stack, 'POST', `/api/chat/${sessionId}/message`, { content: 'what is 2+2' })).body;
    await waitForTurn(stack, sent.turn_id);
    const answer = await waitUntil('the answer', async () => {
      const page = (await api(stack, 'GET', `/api/chat/${sessionId}/messages`)).body;
      return page.messages.find((m: any) => m.turn_id === sent.turn_id && m.role === 'assistant' && m.status === 'complete');
    });
    const otherSession = (await api(stack, 'POST', '/api/chat/sessions', {})).body.id;
    answered = { answerId: answer.id, questionId: sent.message_id, otherSession };
  });
  const mark = (body: string, message = answered.answerId, session = sessionId) =>
    rawFetch(`/api/chat/${session}/messages/${message}/feedback`, { method: 'POST', body });

  test.each([
    ['malformed JSON', '{"verdict": "wrong"'],
    ['no verdict', '{}'],
    ['an unknown verdict', '{"verdict": "meh"}'],
    ['a wrong mark without an expected tool', '{"verdict": "wrong"}'],
    ['an expected tool that is not a name', '{"verdict": "wrong", "expected_tool": "../calculator", "key_content": "4"}'],
    ['an operator for the expected tool', '{"verdict": "wrong", "expected_tool": {"$ne": null}}'],
    ['an expected tool nobody registered', '{"verdict": "wrong", "expected_tool": "weather"}'],
    ['a declined request that expects a tool', '{"verdict": "wrong", "expected_tool": "calculator", "should_decline": true}'],
    ['an oversized key content', JSON.stringify({ verdict: 'wrong', expected_tool: 'calculator', key_content: 'x'.repeat(600) })],
    ['an unknown field', '{"verdict": "right", "case_ids": ["x"]}'],
    ['nothing wrong named (the tool used, no key content)', '{"verdict": "wrong", "expected_tool": "calculator"}'],
    ['an operator for who taught it', '{"verdict": "right", "taught_by": {"$gt": ""}}'],
    ['an oversized teacher name', JSON.stringify({ verdict: 'right', taught_by: 'x'.repeat(500) })],
  ])('%s: 400, nothing stored', async (_what, body) => {
    const res = await mark(body);
    expect(res.status).toBe(400);
    expect(res.json().message).toEqual(expect.any(String));
  });

  test('the user’s own message: 400; an unknown message, session or another session’s answer: 404; nothing stored', async () => {
    expect((await mark('{"verdict": "right"}', answered.questionId)).status).toBe(400);
    expect((await mark('{"verdict": "right"}', 'no-such-message')).status).toBe(404);
    expect((await mark('{"verdict": "right"}', answered.answerId, 'no-such-session')).status).toBe(404);
    expect((await mark('{"verdict": "right"}', answered.answerId, answered.otherSession)).status).toBe(404);
  });

  test('mark_answer over GraphQL with bad input or an unknown message: an error with a code, nothing stored', async () => {
    for (const [message, verdict, code] of [
      [answered.answerId, 'meh', 'BAD_USER_INPUT'],
      [answered.questionId, 'right', 'BAD_USER_INPUT'],
      ['no-such-message', 'right', 'NOT_FOUND'],
    ]) {
      const res = await rawFetch('/graphql', {
        method: 'POST',
        body: JSON.stringify({
          query:
            'mutation($s: ID!, $m: ID!, $v: String!) { mark_answer(session_id: $s, message_id: $m, input: { verdict: $v }) { feedback { id } } }',
          variables: { s: sessionId, m: message, v: verdict },
        }),
      });
      expect(res.json().errors[0].extensions.code).toBe(code);
    }
  });
});

// ------------------------------------------------------------------------------- GraphQL (HTTP)

const gqlPost = (body: string, token: string | null = stack.token) =>
  rawFetch('/graphql', { method: 'POST', body, token, headers: { accept: 'application/graphql-response+json' } });

describe('GraphQL over HTTP', () => {
  test('no token or a wrong one: 401', async () => {
    expect((await gqlPost('{"query":"{ sessions { id } }"}', null)).status).toBe(401);
    expect((await gqlPost('{"query":"{ sessions { id } }"}', 'wrong-token-wrong-token')).status).toBe(401);
  });

  test.each([
    ['malformed JSON', '{"query": "{ sessions { id } }"'],
    ['a body that is not an object', '[1,2,3]'],
    ['no query', '{}'],
    ['a query that does not parse', '{"query": "{ sessions { id "}'],
    ['an unknown field', '{"query": "{ no_such_field }"}'],
    [
      'a variable of the wrong type',
      JSON.stringify({
        query: 'mutation($c: String!) { send_message(session_id: "x", content: $c) { message_id } }',
        variables: { c: { $gt: '' } },
      }),
    ],
  ])('%s: 4xx', async (_what, body) => {
    const res = await gqlPost(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  // graphql-armor refuses these before execution; yoga answers its refusal 200 with only `errors`.
  test('a query over the token or alias limits is refused before it runs', async () => {
    const tokens = `{ sessions { ${'id '.repeat(3000)} } }`;
    const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: sessions { id }`).join(' ')} }`;
    for (const query of [tokens, aliases]) {
      const res = await gqlPost(JSON.stringify({ query }));
      expect(res.json()).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(/limit/i) })] });
    }
  });

  test('an oversized body: 413', async () => {
    expect(
      (await gqlPost(JSON.stringify({ query: '{ sessions { id } }', variables: { pad: 'x'.repeat(300 * 1024) } }))).status,
    ).toBe(413);
  });

  test('send_message with bad input or an unknown session: an error with a code, nothing stored', async () => {
    for (const [session, content, code] of [
      [sessionId, '', 'BAD_USER_INPUT'],
      ['no-such-session', 'hi', 'NOT_FOUND'],
      ['../../etc', 'hi', 'BAD_USER_INPUT'],
    ]) {
      const res = await rawFetch('/graphql', {
        method: 'POST',
        body: JSON.stringify({
          query: 'mutation($s: ID!, $c: String!) { send_message(session_id: $s, content: $c) { message_id } }',
          variables: { s: session, c: content },
        }),
      });
      expect(res.json().errors[0].extensions.code).toBe(code);
    }
  });
});

// ------------------------------------------------------------------------------ WebSocket helpers

interface Closed {
  code: number;
  reason: string;
  messages: any[];
}

/** Opens a socket, runs `act` once it is open (or at once, if the upgrade is refused), and reports how it closed. */
function socketSession(
  path: string,
  act: (ws: WebSocket) => void,
  protocol?: string,
): Promise<Closed | { refused: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.wsUrl}${path}`, protocol);
    const messages: any[] = [];
    ws.on('message', (raw) => messages.push(raw.toString()));
    ws.on('open', () => act(ws));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ refused: res.statusCode ?? 0, body });
      });
    });
    ws.on('error', () => undefined); // the close (or the refusal) is what the test reads
    const timer = setTimeout(() => reject(new Error(`${path}: the server neither closed nor refused within 30 s`)), 30_000);
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), messages });
    });
  });
}

function expectClosed(result: Closed | { refused: number }, code: number, reason: RegExp) {
  expect(result).toMatchObject({ code, reason: expect.stringMatching(reason) });
  const closed = result as Closed;
  expectNoStackTrace(closed.reason);
  for (const m of closed.messages) expectNoStackTrace(m);
}

const INVALID_UTF8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]); // {"\xC3(" }: a truncated 2-byte sequence

// ---------------------------------------------------------------------------------- /ws channels

describe('the /ws channels', () => {
  const chatPath = () => `/ws/chat/${sessionId}?token=${stack.token}`;

  test.each([
    ['no token', 401, () => `/ws/chat/${sessionId}`],
    ['a wrong token', 401, () => `/ws/chat/${sessionId}?token=wrong-token-wrong-token`],
    ['an unknown channel', 404, () => `/ws/nothing?token=${stack.token}`],
    ['an encoded slash in the id', 404, () => `/ws/chat/a%2Fb?token=${stack.token}`],
    ['an encoded ../', 404, () => `/ws/chat/..%2F..%2Fmeta/x?token=${stack.token}`],
    ['a 300-character id', 404, () => `/ws/chat/${'a'.repeat(300)}?token=${stack.token}`],
  ])('%s: the upgrade is refused with %i and a JSON reason', async (_what, status, path) => {
    const result = await socketSession(path(), () => undefined);
    expect(result).toMatchObject({ refused: status });
    const body = JSON.parse((result as { body: string }).body);
    expect(body.message).toEqual(expect.any(String));
    expectNoStackTrace(body.message);
  });

  test('an unknown session: closed with 4404 and a reason', async () => {
    expectClosed(
      await socketSession(`/ws/chat/no-such-session?token=${stack.token}`, () => undefined),
      4404,
      /session no-such-session not found/,
    );
    expectClosed(await socketSession(`/ws/execution/no-such-session?token=${stack.token}`, () => undefined), 4404, /not found/);
  });

  test('the 300 KB frame that used to end the API: closed with 1009', async () => {
    const result = await socketSession(chatPath(), (ws) => ws.send(JSON.stringify({ content: 'x'.repeat(300 * 1024) })));
    expectClosed(result, 1009, /message too big: the limit is 65536 bytes/);
  });

  test.each([
    ['not JSON', (ws: WebSocket) => ws.send('hello'), /not valid JSON/],
    [
      'a binary frame',
      (ws: WebSocket) => ws.send(Buffer.from('{"content":"hi"}'), { binary: true }),
      /binary frames are not accepted/,
    ],
    ['invalid UTF-8 in a text frame', (ws: WebSocket) => ws.send(INVALID_UTF8, { binary: false }), /not valid UTF-8/],
  ])('%s on /ws/chat: closed with 1007', async (_what, act, reason) => {
    expectClosed(await socketSession(chatPath(), act), 1007, reason);
  });

  test.each([
    ['content of the wrong type', '{"content": 5}'],
    ['no content', '{"text": "hi"}'],
    ['an array', '[{"content": "hi"}]'],
    ['null', 'null'],
  ])('%s on /ws/chat: closed with 1008', async (_what, frame) => {
    const result = await socketSession(chatPath(), (ws) => ws.send(frame));
    expectClosed(result, 1008, /expected \{"content": "…"\}/);
    expect((result as Closed).messages.map((m) => JSON.parse(m).type)).toContain('error');
  });

  test('a message the service refuses (empty content) is answered and the socket stays open', async () => {
    const result = await socketSession(chatPath(), (ws) => {
      ws.send('{"content": "  "}');
      ws.on('message', (raw) => JSON.parse(raw.toString()).type === 'error' && ws.close(1000, 'done'));
    });
    expect(result).toMatchObject({ code: 1000, reason: 'done' });
  });

  test('a flood of messages: closed with 1008', async () => {
    // Empty contents: each is refused by the service, so only the flood limit can close the socket.
    const result = await socketSession(chatPath(), (ws) => {
      for (let i = 0; i < 50; i++) ws.send('{"content": ""}');
    });
    expectClosed(result, 1008, /too many messages/);
  });

  test.each(['execution', 'meta'])('any message on /ws/%s: closed with 1008', async (kind) => {
    const path = kind === 'meta' ? `/ws/meta?token=${stack.token}` : `/ws/execution/${sessionId}?token=${stack.token}`;
    expectClosed(
      await socketSession(path, (ws) => ws.send('{"content": "hi"}')),
      1008,
      new RegExp(`/ws/${kind} accepts no messages`),
    );
  });

  test('nonsense after_seq values are ignored', async () => {
    for (const after of ['-5', 'abc', '1e400', '0x10']) {
      const result = await socketSession(`/ws/chat/${sessionId}?token=${stack.token}&after_seq=${after}`, (ws) =>
        ws.once('message', () => ws.close(1000, 'got initial_state')),
      );
      expect(result).toMatchObject({ code: 1000 });
      expect(JSON.parse((result as Closed).messages[0]).type).toBe('initial_state');
    }
  });

  test('a request target the URL parser refuses (GET //) with an upgrade: 404, the API lives on', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(stack.baseUrl).port), '127.0.0.1', () =>
        socket.write(
          'GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      let data = '';
      socket.on('data', (c) => (data += c));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 404/);
    expect((await rawFetch('/healthz', { token: null })).status).toBe(200);
  });
});

// ----------------------------------------------------------------------------------- graphql-ws

describe('graphql-ws', () => {
  const PROTOCOL = 'graphql-transport-ws';
  const init = (ws: WebSocket, token = stack.token) => ws.send(JSON.stringify({ type: 'connection_init', payload: { token } }));
  /** Sends connection_init, then runs `act` once the server acknowledged it. */
  const afterAck = (act: (ws: WebSocket) => void) => (ws: WebSocket) => {
    ws.on('message', (raw) => JSON.parse(raw.toString()).type === 'connection_ack' && act(ws));
    init(ws);
  };

  test('a wrong or missing token: closed with 4403 Forbidden', async () => {
    expectClosed(await socketSession('/graphql', (ws) => init(ws, 'wrong-token-wrong-token'), PROTOCOL), 4403, /Forbidden/);
    expectClosed(await socketSession('/graphql', (ws) => ws.send('{"type":"connection_init"}'), PROTOCOL), 4403, /Forbidden/);
  });

  test('subscribing before connection_init: closed with 4401', async () => {
    const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ sessions { id } }' } });
    expectClosed(await socketSession('/graphql', (ws) => ws.send(subscribe), PROTOCOL), 4401, /Unauthorized/);
  });

  test('a 300 KB frame: closed with 1009', async () => {
    const big = JSON.stringify({ type: 'connection_init', payload: { token: stack.token, pad: 'x'.repeat(300 * 1024) } });
    expectClosed(
      await socketSession('/graphql', (ws) => ws.send(big), PROTOCOL),
      1009,
      /message too big: the limit is 262144 bytes/,
    );
  });

  test.each([
    ['not JSON', (ws: WebSocket) => ws.send('hello'), /not valid JSON/],
    [
      'a binary frame',
      (ws: WebSocket) => ws.send(Buffer.from('{"type":"connection_init"}'), { binary: true }),
      /binary frames are not accepted/,
    ],
    ['invalid UTF-8 in a text frame', (ws: WebSocket) => ws.send(INVALID_UTF8, { binary: false }), /not valid UTF-8/],
  ])('%s: closed with 1007', async (_what, act, reason) => {
    expectClosed(await socketSession('/graphql', act, PROTOCOL), 1007, reason);
  });

  test("JSON that is not a graphql-ws message: closed with 4400 (the protocol's code)", async () => {
    expectClosed(
      await socketSession(
        '/graphql',
        afterAck((ws) => ws.send('{"type":"no_such_type"}')),
        PROTOCOL,
      ),
      4400,
      /.+/,
    );
  });

  test('a flood of messages: closed with 1008', async () => {
    const result = await socketSession(
      '/graphql',
      afterAck((ws) => {
        for (let i = 0; i < 300; i++) ws.send('{"type":"ping"}');
      }),
      PROTOCOL,
    );
    expectClosed(result, 1008, /too many messages/);
  });

  test('a subscription that does not parse or names an unknown session fails alone; the socket stays open', async () => {
    /** graphql-ws answers a refused operation with `error`, a failed subscription with `next` carrying errors. */
    const failure = (m: any) =>
      m.type === 'error' ? m.payload : m.type === 'next' && m.payload.errors ? m.payload.errors : null;
    const result = await socketSession(
      '/graphql',
      afterAck((ws) => {
        ws.send(JSON.stringify({ id: 'bad-syntax', type: 'subscribe', payload: { query: 'subscription { chat_events(' } }));
        ws.send(
          JSON.stringify({
            id: 'unknown',
            type: 'subscribe',
            payload: { query: 'subscription { chat_events(session_id: "no-such-session") { seq } }' },
          }),
        );
        let failures = 0;
        ws.on('message', (raw) => {
          if (failure(JSON.parse(raw.toString())) && ++failures === 2) ws.close(1000, 'both refused');
        });
      }),
      PROTOCOL,
    );
    expect(result).toMatchObject({ code: 1000, reason: 'both refused' });
    const failed = (result as Closed).messages.map((m) => JSON.parse(m)).filter(failure);
    expect(failed.map((m) => m.id).sort()).toEqual(['bad-syntax', 'unknown']);
    expect(JSON.stringify(failure(failed.find((m) => m.id === 'unknown')))).toMatch(/session no-such-session not found/);
    for (const m of failed) expectNoStackTrace(JSON.stringify(failure(m)));
  });
});

// ------------------------------------------------------------------------------------- afterwards

describe('afterwards', () => {
  test('the stack is healthy, the bystander socket never closed, and a normal turn works end to end', async () => {
    // This case changes the store on purpose: the turn it runs is the proof that the stack still works.
    expectStoreUnchanged = false;
    expect(await api(stack, 'GET', '/healthz', undefined, null)).toMatchObject({ status: 200, body: { ok: true } });
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    bystander.socket.send(JSON.stringify({ content: 'what is 6*7' }));
    const ack = await waitUntil('message_received', async () => bystander.messages.find((m) => m.type === 'message_received'));
    const turn = await waitForTurn(stack, `${sessionId}:${ack.message_id}`);
    expect(turn.status).toBe('completed');
    await waitUntil('the answer on the bystander socket', async () =>
      bystander.messages.find((m) => m.data?.type === 'message_completed' && m.data.message.content === '6*7 = 42'),
    );
  });
});

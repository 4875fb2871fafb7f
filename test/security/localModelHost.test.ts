import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalLlm } from '../../model/localServer/llamaRuntime';
import { listen, localModelApp } from '../../model/localServer/server';
import { rawRequest } from '../support/rawHttp';

/**
 * The local model server against DNS rebinding: a page whose own name now resolves to 127.0.0.1
 * sends that name in `Host`, and must be refused before the model is reached.
 */
const neverCalled: LocalLlm = {
  contextSize: 100,
  countPromptTokens: () => 1,
  generate: () => Promise.reject(new Error('a request with a foreign Host reached the model')),
  close: async () => undefined,
};
const COMPLETION = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  const app = localModelApp(neverCalled, {
    modelId: 'm',
    defaultTemperature: 0,
    defaultMaxTokens: 10,
    allowedHosts: ['model.lan'],
    log: () => undefined,
  });
  server = await listen(app, '127.0.0.1', 0);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

it.each([
  ['GET', '/v1/models', undefined],
  ['POST', '/v1/chat/completions', COMPLETION],
])('a foreign Host gets 403 on %s %s', async (method, path, body) => {
  const answer = await rawRequest(baseUrl, path, {
    method,
    body,
    headers: { host: 'rebound.evil.example:8740', 'content-type': 'application/json' },
  });
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'permission_error', code: 'foreign_host' } });
});

it.each(['127.0.0.1:8740', 'localhost', '[::1]:8740', 'model.lan:8740'])('the host %s is answered', async (host) => {
  const answer = await rawRequest(baseUrl, '/v1/models', { headers: { host } });
  expect(answer.status).toBe(200);
});

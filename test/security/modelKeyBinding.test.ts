import { api } from '../../harness/client';
import { FakeOpenAi, startFakeOpenAi } from '../support/fakeOpenAi';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * A stored API key is bound to the endpoint it was given for. The attack: with the token, point
 * `base_url` at a host you own and ask for a connection test; before, the stored key went along.
 * Two local OpenAI-compatible listeners record the Authorization header each one receives.
 */
let stack: TestStack;
let home: FakeOpenAi;
let attacker: FakeOpenAi;
const SECRET = 'sk-the-owners-secret-key';

beforeAll(async () => {
  [stack, home, attacker] = await Promise.all([
    startTestStack('key-binding', {}, { withWorker: false }),
    startFakeOpenAi(),
    startFakeOpenAi(),
  ]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), home?.close(), attacker?.close()]);
});

const putModel = (body: Record<string, unknown>) => api(stack, 'PUT', '/api/system/model', body);
async function connectionTest(endpoint: FakeOpenAi) {
  endpoint.enqueue('plain', { content: 'ok' });
  const answer = await api(stack, 'POST', '/api/system/model/test');
  expect(answer.body.ok).toBe(true);
  endpoint.assertScriptDone();
  return endpoint.requests.at(-1)!.authorization;
}
const storeKeyForHome = async () =>
  expect((await putModel({ base_url: home.baseUrl, model: 'm', api_key: SECRET })).body).toMatchObject({
    has_api_key: true,
    api_key_cleared: false,
  });

it('a new base_url without a key clears the stored key, says so, and the new host never sees it', async () => {
  await storeKeyForHome();
  expect(await connectionTest(home)).toBe(`Bearer ${SECRET}`);

  const moved = await putModel({ base_url: attacker.baseUrl });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ base_url: attacker.baseUrl, has_api_key: false, api_key_cleared: true });
  expect(await connectionTest(attacker)).not.toContain(SECRET);
  expect(attacker.requests.map((r) => r.authorization)).not.toContain(`Bearer ${SECRET}`);
});

it('the same over GraphQL', async () => {
  await storeKeyForHome();
  const answer = await api(stack, 'POST', '/graphql', {
    query: `mutation($input: ModelSettingsInput!) { update_model_settings(input: $input) { base_url has_api_key api_key_cleared } }`,
    variables: { input: { base_url: attacker.baseUrl } },
  });
  expect(answer.body.data.update_model_settings).toEqual({
    base_url: attacker.baseUrl,
    has_api_key: false,
    api_key_cleared: true,
  });
  expect(await connectionTest(attacker)).not.toContain(SECRET);
});

it('a new base_url with a new key stores that key for it', async () => {
  await storeKeyForHome();
  const moved = await putModel({ base_url: attacker.baseUrl, api_key: 'sk-for-the-new-host' });
  expect(moved.body).toMatchObject({ has_api_key: true, api_key_cleared: false });
  expect(await connectionTest(attacker)).toBe('Bearer sk-for-the-new-host');
});

it('changing only the model, or sending the same base_url, keeps the key', async () => {
  await storeKeyForHome();
  expect((await putModel({ model: 'other' })).body).toMatchObject({ has_api_key: true, api_key_cleared: false });
  expect((await putModel({ base_url: home.baseUrl })).body).toMatchObject({ has_api_key: true, api_key_cleared: false });
  expect(await connectionTest(home)).toBe(`Bearer ${SECRET}`);
});

it('clear_api_key forgets the key; a key and clear_api_key together, or api_key: null, are refused', async () => {
  await storeKeyForHome();
  expect((await putModel({ api_key: SECRET, clear_api_key: true })).status).toBe(400);
  expect((await putModel({ api_key: null })).status).toBe(400);
  expect((await putModel({ clear_api_key: true })).body).toMatchObject({ has_api_key: false, api_key_cleared: true });
  expect(await connectionTest(home)).not.toContain(SECRET);
});

import { api } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { uniqueDbName } from '../../harness/servers';
import { newestFirstPage } from '../../store/newestFirstPage';
import { storeTaughtAnswer } from '../support/taughtAnswers';

/**
 * The API's GET lists in pages (REST and GraphQL): a cap, a cursor that walks each list once in
 * its order, and a 400 that reads nothing for a bad limit or cursor, a cursor that names no item
 * or one that tries to be a query.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('list_pages');
  for (const n of [1, 2, 3])
    await storeTaughtAnswer(stack.mongo.db, {
      n,
      component: 'calculator',
      request: `what is ${n} + ${n}?`,
      lesson: 'add',
      input: { expression: `${n} + ${n}` },
      expect: { equals: { result: 2 * n } },
      expected_tool: 'calculator',
      key_content: null,
    });
});
afterAll(async () => {
  await stack?.stop();
});

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, { id: string }[]> | null; errors?: { extensions?: { code?: string } }[] };
}

/** The paged lists: REST path and GraphQL field. */
const LISTS = [
  { path: '/api/meta/components', graphql: 'components' },
  { path: '/api/meta/evolution/taught', graphql: 'taught_cases' },
  { path: '/api/sandbox/experiments', graphql: 'experiments' },
  { path: '/api/system/predictions', graphql: 'predictions' },
  { path: '/api/meta/generated-tools', graphql: 'generated_tools' },
  { path: '/api/chat/sessions', graphql: 'sessions' },
];

async function walkRest(path: string, field: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const after = ids.length ? `&after=${encodeURIComponent(ids[ids.length - 1])}` : '';
    const res = await api(stack, 'GET', `${path}?limit=${limit}${after}`);
    expect(res.status).toBe(200);
    const page = (res.body[field] as { id: string }[]).map((item) => item.id);
    expect(page.length).toBeLessThanOrEqual(limit);
    if (page.length === 0) return ids;
    ids.push(...page);
  }
}

test('REST and GraphQL pages of 2 walk the components and the taught cases once, in the whole list order', async () => {
  const seeded = [
    { path: '/api/meta/components', field: 'components', name: 'components' },
    { path: '/api/meta/evolution/taught', field: 'cases', name: 'taught_cases' },
  ];
  for (const { path, field, name } of seeded) {
    const whole = ((await api(stack, 'GET', path)).body[field] as { id: string }[]).map((item) => item.id);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    expect(await walkRest(path, field, 2)).toEqual(whole);

    const paged: string[] = [];
    for (;;) {
      const { data, errors } = await graphql(`query ($after: String) { ${name}(limit: 2, after: $after) { id } }`, {
        after: paged.at(-1) ?? null,
      });
      expect(errors).toBeUndefined();
      if (data![name].length === 0) break;
      paged.push(...data![name].map((item) => item.id));
    }
    expect(paged).toEqual(whole);
  }
});

test('the timeline pages back from the newest event with `before`', async () => {
  const whole = (await api(stack, 'GET', '/api/meta/evolution/timeline')).body.timeline as { seq: number }[];
  expect(whole.length).toBeGreaterThanOrEqual(2);
  const newest = (await api(stack, 'GET', '/api/meta/evolution/timeline?limit=1')).body.timeline as { seq: number }[];
  expect(newest.map((e) => e.seq)).toEqual([whole[whole.length - 1].seq]);
  const before = await api(stack, 'GET', `/api/meta/evolution/timeline?limit=500&before=${newest[0].seq}`);
  expect(before.body.timeline.map((e: { seq: number }) => e.seq)).toEqual(whole.slice(0, -1).map((e) => e.seq));
  const { data } = await graphql(`{ evolution_timeline(limit: 1, before: ${newest[0].seq}) { seq } }`);
  expect(data!.evolution_timeline).toEqual([{ seq: whole[whole.length - 2].seq }]);
});

test('a bad limit or cursor is a 400 that reads and changes nothing, on every paged list', async () => {
  const counts = async () =>
    Promise.all(
      ['taught_cases', 'experiments', 'generated_tools', 'predictions'].map((c) => stack.mongo.db.collection(c).countDocuments()),
    );
  // Reading the predictions runs their analysis, which stores what it computes: once before counting.
  expect((await api(stack, 'GET', '/api/system/predictions')).status).toBe(200);
  const before = await counts();
  const refused = [
    'limit=0',
    'limit=501',
    'limit=abc',
    'limit=1.5',
    'limit=',
    'limit=1&limit=2',
    'after=no-such-item',
    'after=%24gt',
    'after=%7B%22%24gt%22%3A%22%22%7D',
    `after=${'a'.repeat(201)}`,
  ];
  for (const { path } of LISTS) {
    // A session cursor is `updated_at|id`: a bar is refused in every other cursor.
    for (const query of path === '/api/chat/sessions' ? refused : [...refused, 'after=a%7Cb']) {
      const res = await api(stack, 'GET', `${path}?${query}`);
      expect([path, query, res.status, res.body?.error]).toEqual([path, query, 400, 'BAD_USER_INPUT']);
    }
  }
  for (const query of ['limit=0', 'limit=501', 'before=0', 'before=x', 'before=%24gt'])
    expect((await api(stack, 'GET', `/api/meta/evolution/timeline?${query}`)).status).toBe(400);
  for (const { graphql: name } of LISTS) {
    for (const variables of [{ limit: 0 }, { limit: 501 }, { after: 'no-such-item' }, { after: '$where' }]) {
      const { errors } = await graphql(
        `query ($limit: Int, $after: String) { ${name}(limit: $limit, after: $after) { id } }`,
        variables,
      );
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // An object where the cursor goes is not a string: GraphQL refuses it before any resolver runs.
    const { errors } = await graphql(`query ($after: String) { ${name}(after: $after) { id } }`, { after: { $gt: '' } });
    expect(errors?.length).toBeGreaterThan(0);
  }
  expect(await counts()).toEqual(before);
});

test('bracket keys are no cursor: `after[$gt]` answers the first page', async () => {
  // The query parser builds no objects from bracket keys: they stay names, and name no parameter.
  // The answer is a list (sessions) or an object holding one (the others): its items' ids.
  const idsOf = (body: object) => (Array.isArray(body) ? body : Object.values(body)[0]).map((item: { id: string }) => item.id);
  for (const { path } of LISTS) {
    const first = idsOf((await api(stack, 'GET', path)).body);
    for (const query of ['after[%24gt]=', 'after[%24ne]=x', 'limit[%24gt]=0']) {
      const res = await api(stack, 'GET', `${path}?${query}`);
      expect([res.status, idsOf(res.body)]).toEqual([200, first]);
    }
  }
});

test('a newest-first page is anchored on its cursor: documents inserted while walking neither repeat nor skip', async () => {
  const db = stack.mongo.client.db(uniqueDbName('newest_first'));
  const docs = db.collection<{ _id: string; created_at: string }>('dated');
  // Two pairs tie on created_at: ties go by _id.
  const times = ['2030-01-05', '2030-01-04', '2030-01-04', '2030-01-03', '2030-01-02', '2030-01-02', '2030-01-01'];
  await docs.insertMany(times.map((t, i) => ({ _id: `d-${i}`, created_at: `${t}T00:00:00.000Z` })));
  const whole = (await newestFirstPage(docs, { limit: 500 }))!.map((d) => d._id);
  expect(whole).toEqual(['d-0', 'd-1', 'd-2', 'd-3', 'd-4', 'd-5', 'd-6']);

  const paged: string[] = [];
  for (;;) {
    const page = (await newestFirstPage(docs, { limit: 2, after: paged.at(-1) }))!;
    if (page.length === 0) break;
    paged.push(...page.map((d) => d._id));
    if (paged.length === 2) await docs.insertOne({ _id: 'd-new', created_at: '2030-02-01T00:00:00.000Z' });
  }
  expect(paged).toEqual(whole);
  expect(await newestFirstPage(docs, { limit: 2, after: 'no-such-doc' })).toBeNull();
});

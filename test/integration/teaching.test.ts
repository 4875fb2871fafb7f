import { loadComponentSuite } from '../../evaluation/componentSuite';
import { loadSuite } from '../../evaluation/suite';
import { taughtSplitOf } from '../../evolution/taughtLessons';
import { api, openChannel, SocketRecorder, waitForTurn, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * Teaching from answers on the real stack, offline: a right mark is recorded and teaches
 * nothing; a wrong tool choice becomes a case of the analyser's taught suite, a right tool
 * with a wrong answer a case of the tool's; both through REST and GraphQL, announced on
 * /ws/meta, part of the suite evolution loads, and each component failing them gets a prediction.
 * The labels are chosen so the current components fail them whatever their phrasing skills:
 * "what is 2+2" goes to the calculator, which answers 4.
 */
let stack: TestStack;
let meta: SocketRecorder;
const SUITES_DIR = `${__dirname}/../../datasets/suites`;
beforeAll(async () => {
  stack = await startTestStack('teaching', { EVOSCOPE_SUITES_DIR: SUITES_DIR });
  meta = await openChannel(stack, '/ws/meta');
});
afterAll(async () => {
  meta?.close();
  await stack?.stop();
});
jest.setTimeout(300_000);

const gql = async (query: string, variables: Record<string, unknown>) => {
  const res = await fetch(`${stack.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
};

async function answeredTurn(content: string) {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'teaching' })).body.id as string;
  const sent = (await api(stack, 'POST', `/api/chat/${session}/message`, { content })).body;
  await waitForTurn(stack, sent.turn_id);
  const answer = await waitUntil('the answer', async () => {
    const page = (await api(stack, 'GET', `/api/chat/${session}/messages`)).body;
    return page.messages.find((m: any) => m.turn_id === sent.turn_id && m.role === 'assistant' && m.status === 'complete');
  });
  return { session, turnId: sent.turn_id as string, answerId: answer.id as string, questionId: sent.message_id as string };
}

test('marks through REST and GraphQL become taught cases, announced, loaded with the suite and predicted', async () => {
  const turn = await answeredTurn('what is 2+2');
  const feedbackPath = `/api/chat/${turn.session}/messages/${turn.answerId}/feedback`;

  const right = await api(stack, 'POST', feedbackPath, { verdict: 'right', taught_by: 'ada' });
  expect(right.status).toBe(201);
  expect(right.body).toMatchObject({ feedback: { verdict: 'right', taught_by: 'ada', case_ids: [] }, cases: [] });
  await meta.waitFor((m) => m.type === 'meta_event' && m.data.data.feedback_id === right.body.feedback.id);

  // A wrong tool choice: the analyser's lesson, on the request as the user wrote it.
  const wrongTool = await api(stack, 'POST', feedbackPath, { verdict: 'wrong', expected_tool: 'unit_convert', taught_by: 'ada' });
  expect(wrongTool.status).toBe(201);
  const [analyserCase] = wrongTool.body.cases;
  expect(wrongTool.body.cases).toHaveLength(1);
  expect(analyserCase).toMatchObject({
    component: 'intent_analyser',
    request: 'what is 2+2',
    input: { content: 'what is 2+2' },
    expect: { subset: { tools: ['unit_convert'] } },
    split: taughtSplitOf(analyserCase.id),
    session_id: turn.session,
    message_id: turn.answerId,
    turn_id: turn.turnId,
    taught_by: 'ada',
    feedback_id: wrongTool.body.feedback.id,
  });
  expect(wrongTool.body.feedback).toMatchObject({ verdict: 'wrong', expected_tool: 'unit_convert', case_ids: [analyserCase.id] });
  const announced = await meta.waitFor((m) => m.type === 'meta_event' && m.data.data.feedback_id === wrongTool.body.feedback.id);
  expect(announced.data).toMatchObject({
    type: 'answer_marked',
    data: { verdict: 'wrong', cases: [{ id: analyserCase.id, component: 'intent_analyser', split: analyserCase.split }] },
  });

  // The right tool with a wrong answer: the tool's lesson, on the arguments it was given (GraphQL).
  const marked = await gql(
    `mutation ($s: ID!, $m: ID!) { mark_answer(session_id: $s, message_id: $m,
       input: { verdict: "wrong", expected_tool: "calculator", key_content: "5", taught_by: "grace" }) {
       feedback { id verdict key_content case_ids } cases { id component split input expect lesson } } }`,
    { s: turn.session, m: turn.answerId },
  );
  expect(marked.errors).toBeUndefined();
  const calculatorCase = marked.data.mark_answer.cases[0];
  expect(calculatorCase).toMatchObject({
    component: 'calculator',
    input: { expression: expect.stringMatching(/2\s*\+\s*2/) },
    expect: { path: '', matches: '5' },
    split: taughtSplitOf(calculatorCase.id),
  });

  const listed = await api(stack, 'GET', '/api/meta/evolution/taught');
  expect(listed.status).toBe(200);
  expect(listed.body.cases.map((c: any) => c.id)).toEqual([analyserCase.id, calculatorCase.id]);
  const queried = await gql('{ taught_cases { id component split taught_by turn_id } }', {});
  expect(queried.data.taught_cases).toEqual([
    { id: analyserCase.id, component: 'intent_analyser', split: analyserCase.split, taught_by: 'ada', turn_id: turn.turnId },
    { id: calculatorCase.id, component: 'calculator', split: calculatorCase.split, taught_by: 'grace', turn_id: turn.turnId },
  ]);

  // Evolution loads them as part of the component's suite: a new revision, held out as split.
  const file = (await loadSuite(SUITES_DIR, 'intent_analyser'))!;
  const suite = (await loadComponentSuite(stack.mongo.db, SUITES_DIR, 'intent_analyser'))!;
  expect(suite.hash).not.toBe(file.hash);
  expect(suite.cases).toHaveLength(file.cases.length + 1);
  expect(suite.cases.at(-1)).toMatchObject({ id: analyserCase.id, holdout: analyserCase.split === 'held_out' });

  const predictions = (await api(stack, 'GET', '/api/system/predictions')).body.predictions;
  expect(predictions.find((p: any) => p.id === 'pred-intent_analyser-taught_cases_fail')).toMatchObject({
    title: 'intent_analyser: 1 taught case fails',
    executable: true,
  });
  expect(predictions.find((p: any) => p.id === 'pred-calculator-taught_cases_fail')).toMatchObject({
    title: 'calculator: 1 taught case fails',
  });
});

test('teaching the same answer again replaces its lesson in the suite; the older one stays stored', async () => {
  const turn = await answeredTurn('what is 3*3');
  const feedbackPath = `/api/chat/${turn.session}/messages/${turn.answerId}/feedback`;
  const first = await api(stack, 'POST', feedbackPath, { verdict: 'wrong', expected_tool: 'unit_convert' });
  const second = await api(stack, 'POST', feedbackPath, { verdict: 'wrong', expected_tool: null, should_decline: true });
  expect(second.status).toBe(201);
  expect(second.body.cases[0]).toMatchObject({
    component: 'intent_analyser',
    expect: { subset: { tools: [] } },
    taught_by: 'console',
  });
  const ids = (await api(stack, 'GET', '/api/meta/evolution/taught')).body.cases.map((c: any) => c.id);
  expect(ids).toContain(second.body.cases[0].id);
  expect(ids).not.toContain(first.body.cases[0].id);
  expect(await stack.mongo.db.collection('taught_cases').countDocuments({ message_id: turn.answerId })).toBe(2);
});

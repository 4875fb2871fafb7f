/** GraphQL documents of teaching from answers (api/graphql/types/teaching.ts), with the result shapes they read. */
import type { ComponentType } from '../../../domain/enums';
import type { TaughtCase } from '../../../domain/teaching';

export const MARK_ANSWER = `mutation MarkAnswer($session_id: ID!, $message_id: ID!, $input: AnswerMarkInput!) {
  mark_answer(session_id: $session_id, message_id: $message_id, input: $input) { feedback { id verdict case_ids } cases { id component split } }
}`;
export interface MarkAnswerInput {
  verdict: 'right' | 'wrong';
  expected_tool?: string | null;
  key_content?: string;
  should_decline?: boolean;
}
export interface MarkAnswerResult {
  mark_answer: {
    feedback: { id: string; verdict: string; case_ids: string[] };
    cases: Pick<TaughtCase, 'id' | 'component' | 'split'>[];
  };
}

/** The registry's components a request can be served by (the form offers the tools, memory and docs). */
export const TEACHABLE_TOOLS_QUERY = `query TeachableTools { components { id type } }`;
export interface TeachableToolsResult {
  components: { id: string; type: ComponentType }[];
}

/** A taught case as the list shows it. */
export type TaughtCaseView = Pick<
  TaughtCase,
  'id' | 'component' | 'split' | 'request' | 'lesson' | 'taught_by' | 'created_at' | 'session_id' | 'turn_id'
>;
export const TAUGHT_CASES_QUERY = `query TaughtCases { taught_cases { id component split request lesson taught_by created_at session_id turn_id } }`;
export interface TaughtCasesResult {
  taught_cases: TaughtCaseView[];
}

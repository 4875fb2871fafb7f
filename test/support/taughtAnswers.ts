import type { Db } from 'mongodb';
import type { Expectation } from '../../domain/suite';
import type { FeedbackRecord, TaughtCase } from '../../domain/teaching';
import { taughtCaseId, taughtSplitOf } from '../../evolution/taughtLessons';
import { recordFeedback } from '../../store/teachingStore';

export interface TaughtAnswer {
  /** Names the mark (and so the case id and its split). */
  n: number;
  component: string;
  request: string;
  lesson: string;
  input: unknown;
  expect: Expectation;
  expected_tool: string | null;
  key_content: string | null;
}

/** The case id a mark numbered `n` gives `component`: its split is known before it is stored. */
export const taughtIdOf = (n: number, component: string) => taughtCaseId(`fb-${n.toString(16).padStart(16, '0')}`, component);

/** Stores a wrong mark and its one taught case exactly as the teaching service does (ids fixed, so the split is known). */
export async function storeTaughtAnswer(db: Db, a: TaughtAnswer): Promise<TaughtCase> {
  const feedbackId = `fb-${a.n.toString(16).padStart(16, '0')}`;
  const id = taughtCaseId(feedbackId, a.component);
  const provenance = {
    session_id: 's-1',
    message_id: `m-${a.n}`,
    turn_id: `s-1:m-q${a.n}`,
    taught_by: 'ada',
    created_at: new Date(Date.UTC(2026, 11, 7, 0, 0, a.n)).toISOString(),
  };
  const taught: TaughtCase = {
    id,
    component: a.component,
    split: taughtSplitOf(id),
    request: a.request,
    lesson: a.lesson,
    input: a.input,
    expect: a.expect,
    feedback_id: feedbackId,
    ...provenance,
  };
  const feedback: FeedbackRecord = {
    id: feedbackId,
    ...provenance,
    verdict: 'wrong',
    expected_tool: a.expected_tool,
    key_content: a.key_content,
    should_decline: false,
    case_ids: [id],
  };
  await recordFeedback(db, feedback, [taught]);
  return taught;
}

/** Mark numbers from `from` on whose case for `component` falls in each split: `train` of one, `heldOut` of the other. */
export function markNumbers(component: string, from: number, want: { train: number; heldOut: number }): number[] {
  const picked: number[] = [];
  let [train, heldOut] = [0, 0];
  for (let n = from; train < want.train || heldOut < want.heldOut; n++) {
    const held = taughtSplitOf(taughtIdOf(n, component)) === 'held_out';
    if (held ? heldOut++ < want.heldOut : train++ < want.train) picked.push(n);
  }
  return picked;
}

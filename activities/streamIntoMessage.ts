import { updateMessage } from '../store/messageStore';
import { assertAttemptCurrent, currentAttempt } from './attempt';
import { activityContext } from './heartbeats';
import type { TurnContext } from '../domain/turnContracts';
import type { ActivityDeps } from './deps';
import { emitChatEvent, emitSessionEvents, type SessionEvent } from '../store/emit';
import type { ChatEventData } from '../domain/events';
import type { AnswerPrompt } from '../domain/agent';
import type { ModelClient } from '../model/modelClient';
import type { TokenUsage } from '../domain/execution';

/** Tokens are pushed in small batches: fewer stored events, still smooth on screen. */
const FLUSH_EVERY_MS = 40;
export interface StreamedAnswer {
  text: string;
  stopped: boolean;
  /** The tokens the model says the answer used; absent when it reported none. */
  usage?: TokenUsage;
}

/**
 * Streams the model's answer into a stored message: token events while it runs,
 * the full text at the end. A retried attempt first announces itself (`stream_reset`)
 * so listeners drop the partial output of the attempt that failed.
 */
export async function streamIntoMessage(
  deps: ActivityDeps,
  ctx: TurnContext,
  messageId: string,
  model: ModelClient,
  prompt: AnswerPrompt,
): Promise<StreamedAnswer> {
  const { db } = deps;
  const attempt = currentAttempt();
  const activity = activityContext();
  const signal = activity?.cancellationSignal ?? new AbortController().signal;
  if (attempt > 1) {
    await emitChatEvent(db, ctx.sessionId, `${messageId}:reset:${attempt}`, {
      type: 'stream_reset',
      message_id: messageId,
      attempt,
    });
  }

  let text = '';
  let pending = '';
  let batch = 0;
  let flushing: Promise<void> = Promise.resolve();
  /** The tokens not yet sent, as one event (none when there are none). */
  const takePending = (): SessionEvent[] => {
    if (!pending) return [];
    const data: ChatEventData = { type: 'token', message_id: messageId, delta: pending, attempt };
    pending = '';
    return [{ stream: 'chat', key: `${messageId}:${attempt}:${batch++}`, data }];
  };
  const flush = () => {
    const events = takePending();
    // Chained so batches are stored in order even when the model outpaces the database.
    if (events.length > 0) flushing = flushing.then(() => emitSessionEvents(db, ctx.sessionId, events));
    return flushing;
  };
  // The activity heartbeats throughout (streamResponse): stop comes in through its heartbeats.
  // A failed write surfaces at the final flush (the chain stays rejected); the timer must not crash the worker.
  const flushTimer = setInterval(() => void flush().catch(() => undefined), FLUSH_EVERY_MS);
  let stopped = false;
  let usage: TokenUsage | undefined;
  try {
    await model.streamAnswer(
      prompt,
      (delta) => {
        text += delta;
        pending += delta;
      },
      signal,
      (tokens) => (usage = tokens),
    );
  } catch (err) {
    if (!signal.aborted) throw err;
    // Only the person's stop keeps a partial answer. An attempt that timed out (a stalled worker),
    // was superseded or is shutting down stops here without a word: its retry owns the message, and
    // a late "stopped" from this attempt would overwrite the retry's answer.
    if (!activity?.cancellationDetails?.cancelRequested) throw err;
    stopped = true;
  } finally {
    clearInterval(flushTimer);
  }
  await flushing;
  assertAttemptCurrent();
  const message = (await updateMessage(db, messageId, { content: text, status: stopped ? 'stopped' : 'complete' }))!;
  // The last tokens and the stored message, announced together. Per attempt: a retry's final
  // text is announced too (the newest announcement is the stored message).
  await emitSessionEvents(db, ctx.sessionId, [
    ...takePending(),
    { stream: 'chat', key: `${messageId}:completed:${attempt}`, data: { type: 'message_completed', message } },
  ]);
  return { text, stopped, ...(usage ? { usage } : {}) };
}

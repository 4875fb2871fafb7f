import type { ModelLabel } from '../domain/chat';
import { AbortedError, AnswerRequest, ModelClient } from './modelClient';
import { composeOfflineAnswer } from './offlineAnswer';
import { readOffline } from './offlineIntent';

export const OFFLINE_LABEL: ModelLabel = { provider: 'offline', model: 'evoscope-offline-1', offline: true };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new AbortedError()); };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The built-in deterministic model: same input, same plan, same answer, streamed word by word. */
export function createOfflineModel(tokenDelayMs: number): ModelClient {
  return {
    label: OFFLINE_LABEL,
    async analyse(content) {
      return readOffline(content).intent;
    },
    async plan(content) {
      return readOffline(content).steps;
    },
    async streamAnswer(request: AnswerRequest, onDelta, signal) {
      const text = composeOfflineAnswer(request.content, request.intent, request.outcomes);
      const tokens = text.match(/\S+\s*|\s+/g) ?? [];
      let sent = '';
      for (const token of tokens) {
        if (tokenDelayMs > 0) await sleep(tokenDelayMs, signal);
        else if (signal.aborted) throw new AbortedError();
        onDelta(token);
        sent += token;
      }
      return sent;
    },
  };
}

import type { ModelLabel } from '../domain/chat';
import { AbortedError, OfflineModelClient } from './modelClient';

export const OFFLINE_LABEL: ModelLabel = { provider: 'offline', model: 'evoscope-offline-1', offline: true };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The built-in deterministic model: the analyser, planner and responder components decide
 * what it understands and says; it streams the responder's offline text word by word.
 */
export function createOfflineModel(tokenDelayMs: number): OfflineModelClient {
  return {
    kind: 'offline',
    label: OFFLINE_LABEL,
    async streamAnswer(prompt, onDelta, signal) {
      const tokens = prompt.offline_text.match(/\S+\s*|\s+/g) ?? [];
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

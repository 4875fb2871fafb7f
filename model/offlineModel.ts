import type { ModelLabel } from '../domain/chat';
import { AbortedError, type OfflineModelClient } from './modelClient';

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

/** The offline model's tokens: words with their trailing space (what it streams), runs of space alone. */
const tokensOf = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

/**
 * The built-in deterministic model: the analyser, planner and responder components decide
 * what it understands and says; it streams the responder's offline text word by word. Its token
 * counts are its own tokens: the prompt's messages and the words it streamed, the same every run.
 */
export function createOfflineModel(tokenDelayMs: number): OfflineModelClient {
  return {
    kind: 'offline',
    label: OFFLINE_LABEL,
    async streamAnswer(prompt, onDelta, signal, onUsage) {
      const tokens = tokensOf(prompt.offline_text);
      let sent = '';
      for (const token of tokens) {
        if (tokenDelayMs > 0) await sleep(tokenDelayMs, signal);
        else if (signal.aborted) throw new AbortedError();
        onDelta(token);
        sent += token;
      }
      const input = prompt.messages.reduce((count, m) => count + tokensOf(m.content).length, 0);
      onUsage?.({ input_tokens: input, output_tokens: tokens.length });
      return sent;
    },
  };
}

/**
 * The shape all of the console's streams share: load the current state, then open its
 * resumable event stream from that state's seq. A failed load is tried again after
 * LOAD_RETRY_MS (the API may be restarting); a stream error is shown until events flow again.
 */
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { useTransport } from '../api/TransportContext';
import { openResumableStream, type ResumableStreamOptions } from '../api/resumableStream';

const LOAD_RETRY_MS = 2000;

/** What to subscribe to once the current state is loaded. */
export type StreamSpec = Omit<ResumableStreamOptions, 'onError'>;

/**
 * `key` names what is streamed (null: nothing); a new key loads afresh. `load` reads the
 * current state and says what to subscribe to; it returns null without applying what it read
 * once `cancelled()`, and throws to be tried again. Returns the error to show, and its setter.
 */
export function useLoadThenStream(
  key: string | null,
  load: (cancelled: () => boolean) => Promise<StreamSpec | null>,
): [string | null, (error: string | null) => void] {
  const { urql, ws } = useTransport();
  // An error belongs to the key it happened on: a new key starts with none.
  const [failure, setFailure] = useState<{ key: string | null; message: string } | null>(null);
  const error = failure && failure.key === key ? failure.message : null;
  const setError = useCallback((message: string | null) => setFailure(message === null ? null : { key, message }), [key]);
  // Bumped to load again after a failed load.
  const [attempt, setAttempt] = useState(0);
  const loadLatest = useEffectEvent(load);

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    let close: (() => void) | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const fail = (message: string | null) => setFailure(message === null ? null : { key, message });
    loadLatest(() => cancelled).then(
      (spec) => {
        if (cancelled || !spec) return;
        close = openResumableStream(ws, {
          ...spec,
          onEvents: (events) => {
            fail(null);
            spec.onEvents(events);
          },
          onError: fail,
        });
      },
      (err: unknown) => {
        if (cancelled) return;
        fail(`${err instanceof Error ? err.message : String(err)} — retrying`);
        retry = setTimeout(() => setAttempt((n) => n + 1), LOAD_RETRY_MS);
      },
    );
    return () => {
      cancelled = true;
      clearTimeout(retry);
      close?.();
    };
  }, [key, urql, ws, attempt]);

  return [error, setError];
}

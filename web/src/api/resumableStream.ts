/**
 * A subscription to one stored event stream that survives reconnects.
 *
 * graphql-ws re-sends a subscription with its original variables after a
 * reconnect, which would replay everything since the stream was opened. We
 * instead drop the subscription when the socket closes and open a new one on
 * the next `connected` with `after_seq` = the last sequence number received,
 * so the server sends exactly what we missed. The reducers still ignore any
 * `seq` they have already applied, so an overlap can never show twice.
 *
 * Events are handed over in batches, one per animation frame, so a burst of
 * tokens or node updates costs one render, not hundreds.
 */
import type { Client as WsClient } from 'graphql-ws';
import type { StreamEventEnvelope } from './documents';

export interface ResumableStreamOptions {
  /** The subscription document; its single root field yields StreamEventEnvelope. */
  query: string;
  field: string;
  variables: Record<string, unknown>;
  /** The last seq already reflected in the consumer's state. */
  afterSeq: number;
  onEvents(events: StreamEventEnvelope[]): void;
  onError?(message: string): void;
}

const RETRY_AFTER_ERROR_MS = 2000;

export function openResumableStream(ws: WsClient, options: ResumableStreamOptions): () => void {
  let cursor = options.afterSeq;
  let unsubscribe: (() => void) | null = null;
  let suspended = false;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let buffer: StreamEventEnvelope[] = [];
  let flushScheduled = false;

  const flush = () => {
    flushScheduled = false;
    if (closed || buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    options.onEvents(batch);
  };
  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    // Hidden tabs get no animation frames; a timer keeps them current at a low rate.
    if (
      typeof document !== 'undefined' &&
      document.visibilityState === 'visible' &&
      typeof requestAnimationFrame === 'function'
    ) {
      requestAnimationFrame(flush);
    } else {
      setTimeout(flush, 100);
    }
  };

  const subscribe = () => {
    if (closed) return;
    let ended = false;
    const dispose = ws.subscribe<Record<string, StreamEventEnvelope>>(
      { query: options.query, variables: { ...options.variables, after_seq: cursor } },
      {
        next(result) {
          if (result.errors?.length) {
            options.onError?.(result.errors.map((e) => e.message).join('; '));
            return;
          }
          const event = result.data?.[options.field];
          if (!event || typeof event.seq !== 'number') return;
          if (event.seq > cursor) cursor = event.seq;
          buffer.push(event);
          scheduleFlush();
        },
        error(err) {
          ended = true;
          if (unsubscribe === dispose) unsubscribe = null;
          if (closed || suspended) return;
          options.onError?.(describe(err));
          retryTimer = setTimeout(subscribe, RETRY_AFTER_ERROR_MS);
        },
        complete() {
          ended = true;
          if (unsubscribe === dispose) unsubscribe = null;
          // We ended it ourselves (close or suspend); a server-side end is unexpected, so resume.
          if (closed || suspended) return;
          retryTimer = setTimeout(subscribe, RETRY_AFTER_ERROR_MS);
        },
      },
    );
    if (!ended) unsubscribe = dispose;
  };

  const offClosed = ws.on('closed', () => {
    if (closed || !unsubscribe) return;
    suspended = true;
    const dispose = unsubscribe;
    unsubscribe = null;
    dispose();
  });
  const offConnected = ws.on('connected', () => {
    if (closed || !suspended) return;
    suspended = false;
    flush();
    subscribe();
  });

  subscribe();

  return () => {
    closed = true;
    clearTimeout(retryTimer);
    offClosed();
    offConnected();
    unsubscribe?.();
    unsubscribe = null;
    buffer = [];
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (Array.isArray(err))
    return err.map((e) => (e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e))).join('; ');
  if (err && typeof err === 'object' && 'reason' in err)
    return `connection closed (${String((err as CloseEvent).reason || (err as CloseEvent).code)})`;
  return String(err);
}

/**
 * The last resort of a long-running process (the API, the worker) for an error that no handler
 * caught. Every emitter that can emit 'error' has a handler of its own; this is for what slips by.
 *
 * - An unhandled rejection is logged and the process keeps serving: it comes from a detached
 *   promise (e.g. a transient "database is locked" from FerretDB's SQLite in a background write)
 *   whose work is retried by Temporal or by the client, and no state was left half-changed.
 * - An uncaught exception that belongs to one connection (a reset or broken socket, a WebSocket
 *   protocol error) is logged and the process keeps serving: it ended that connection only.
 * - Any other uncaught exception unwound through code that did not expect it and may have left
 *   shared state half-changed, so exiting is the safer choice: the process logs it and exits
 *   with code 1, its supervisor (`npm start`, or docker compose's restart policy) starts a fresh
 *   one, and Temporal retries the work that was in flight.
 */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('WS_ERR_'));
}

export function installLastResort(processName: string): void {
  process.on('unhandledRejection', (reason) => console.error(`${processName}: unhandled rejection (kept serving):`, reason));
  process.on('uncaughtException', (err, origin) => {
    if (isConnectionError(err)) {
      console.error(`${processName}: uncaught connection error (kept serving):`, err);
      return;
    }
    console.error(`${processName}: uncaught exception (${origin}); exiting so that a fresh process takes over:`, err);
    process.exit(1);
  });
}

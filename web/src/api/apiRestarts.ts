/**
 * How the console tells that the API it reconnected to is a new process (restarted by
 * `npm start`'s supervisor, or by hand): /healthz names when the API process started.
 */
export interface ApiIdentity {
  startedAt: string;
  /** Restarts of the API by the supervisor, when one runs it. */
  restarts: number | null;
}

export function readApiIdentity(health: unknown): ApiIdentity | null {
  const body = health as { api?: { started_at?: unknown }; services?: { api?: { restarts?: unknown } } } | null;
  const startedAt = body?.api?.started_at;
  if (typeof startedAt !== 'string') return null;
  const restarts = body?.services?.api?.restarts;
  return { startedAt, restarts: typeof restarts === 'number' ? restarts : null };
}

/** The badge's note after a reconnect; null when the same API process answered again (or nothing is known). */
export function reconnectNotice(before: ApiIdentity | null, after: ApiIdentity | null): string | null {
  if (!before || !after || before.startedAt === after.startedAt) return null;
  return after.restarts ? `reconnected after API restart (restart ${after.restarts})` : 'reconnected after API restart';
}

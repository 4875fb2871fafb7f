/**
 * What the console says about `npm start`'s supervised services: /healthz/api lists the ones that
 * are restarting, crash-looping, starting or stopped (domain/supervisorStatus.ts decides), with why.
 */
export function readServiceProblems(health: unknown): string | null {
  const listed = (health as { service_problems?: unknown } | null)?.service_problems;
  if (!Array.isArray(listed)) return null;
  const lines = listed.flatMap((p: unknown) => {
    const { service, why } = (p ?? {}) as { service?: unknown; why?: unknown };
    return typeof service === 'string' && typeof why === 'string' ? [`${service} ${why}`] : [];
  });
  return lines.length > 0 ? lines.join('; ') : null;
}

import { readApiIdentity, reconnectNotice } from '../../web/src/api/apiRestarts';

test('a reconnect to a new API process is noticed; to the same one, or with nothing known, it is not', () => {
  const first = readApiIdentity({ ok: true, api: { started_at: '2026-12-03T08:00:00.000Z' } });
  const same = readApiIdentity({ ok: false, api: { started_at: '2026-12-03T08:00:00.000Z' } });
  const restarted = readApiIdentity({
    ok: true,
    api: { started_at: '2026-12-03T08:05:00.000Z' },
    services: { api: { restarts: 2 } },
  });
  expect(first).toEqual({ startedAt: '2026-12-03T08:00:00.000Z', restarts: null });
  expect(reconnectNotice(first, same)).toBeNull();
  expect(reconnectNotice(first, restarted)).toBe('reconnected after API restart (restart 2)');
  expect(reconnectNotice(first, readApiIdentity({ api: { started_at: 'later' } }))).toBe('reconnected after API restart');
  expect(reconnectNotice(null, restarted)).toBeNull();
  expect(readApiIdentity({ error: 'nope' })).toBeNull();
  expect(readApiIdentity(null)).toBeNull();
});

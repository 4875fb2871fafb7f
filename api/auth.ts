import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Env } from '../domain/server/env';

/** EVOSCOPE_TOKEN when set, otherwise one generated once into <data dir>/token. */
export async function resolveAccessToken(env: Env): Promise<string> {
  if (env.EVOSCOPE_TOKEN) return env.EVOSCOPE_TOKEN;
  const file = path.join(env.EVOSCOPE_DATA_DIR, 'token');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 16) return stored;
  } catch {
    // No token yet: create one below.
  }
  const token = randomBytes(24).toString('hex');
  await mkdir(env.EVOSCOPE_DATA_DIR, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Bearer …`, or `?token=` (a browser's WebSocket cannot set headers). */
export function tokenFromRequest(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return requestUrl(req)?.searchParams.get('token') ?? null;
}

/**
 * The request's URL, or null when it cannot be parsed: Node accepts request targets that the URL
 * parser refuses (`GET //`, `GET /\\`), and a throw in an 'upgrade' listener would end the process.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/**
 * Cross-origin access to the API, for the origins in EVOSCOPE_CORS_ORIGINS only (none by default:
 * the console calls its own origin and needs none). An origin on the list gets itself back in
 * `Access-Control-Allow-Origin`; any other gets no CORS header at all, so its pages cannot read a
 * response. Credentials are never allowed: the API reads a bearer token, not cookies.
 */
import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, accept';
const PREFLIGHT_MAX_AGE_S = '600';

export function corsAllowList(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
    res.status(204).end();
  };
}

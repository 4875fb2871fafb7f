import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors';

/** Wraps a use case as an express handler: JSON out, ApiError → its status, anything else → 500 without a trace. */
export const handle =
  (status: number, run: (req: Request) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
    run(req).then((body) => res.status(status).json(body), next);
  };

/** The same for a use case that answers text of its own media type (e.g. the Prometheus exposition format). */
export const handleText =
  (status: number, type: string, run: (req: Request) => Promise<string>) => (req: Request, res: Response, next: NextFunction) => {
    run(req).then((body) => res.status(status).type(type).send(body), next);
  };

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction) {
  if (err instanceof ApiError) {
    res.status(err.status).json({ error: err.code, message: err.message });
    return;
  }
  const bodyError = err as { type?: string; status?: number };
  if (bodyError.type === 'entity.too.large') {
    res.status(413).json({ error: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' });
    return;
  }
  if (bodyError.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'BAD_USER_INPUT', message: 'request body is not valid JSON' });
    return;
  }
  // Other client errors raised by express itself (e.g. a path parameter that is not valid
  // percent-encoding): their status, a plain message, nothing of the internals.
  if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    res.status(bodyError.status).json({ error: 'BAD_REQUEST', message: 'the request could not be read' });
    return;
  }
  console.error('request failed:', err);
  res.status(500).json({ error: 'INTERNAL', message: 'internal error' });
}

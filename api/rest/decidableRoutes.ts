import type { Router } from 'express';
import { handle } from './handle';

/** A collection whose items a workflow holds for a person's approve or reject (experiments, generated tools). */
export interface DecidableCollection {
  list(): Promise<unknown[]>;
  /** Starts an item's workflow: answered 202. */
  create(body: unknown): Promise<unknown>;
  /** The id as the path carried it; each service validates it. */
  get(id: unknown): Promise<unknown>;
  approve(id: unknown, body: unknown): Promise<unknown>;
  reject(id: unknown, body: unknown): Promise<unknown>;
}

/**
 * The five routes every such collection has, so they cannot drift apart: `GET base` (as
 * `{ [listKey]: [...] }`), `POST base`, `GET base/:id`, `POST base/:id/approve|reject`.
 */
export function decidableRoutes(r: Router, base: string, idParam: string, listKey: string, items: DecidableCollection): void {
  const one = `${base}/:${idParam}`;
  r.get(
    base,
    handle(200, async () => ({ [listKey]: await items.list() })),
  );
  r.post(
    base,
    handle(202, (req) => items.create(req.body)),
  );
  r.get(
    one,
    handle(200, (req) => items.get(req.params[idParam])),
  );
  r.post(
    `${one}/approve`,
    handle(200, (req) => items.approve(req.params[idParam], req.body)),
  );
  r.post(
    `${one}/reject`,
    handle(200, (req) => items.reject(req.params[idParam], req.body)),
  );
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from 'mongodb';
import type { EventToAppend } from './eventLog';

/**
 * Where an activity keeps events it holds back to store with its next append instead of alone
 * (a node's completion travels with the next node's start): one scope per activity, opened and
 * emptied by store/emit.ts (`withHeldEvents`, `holdSessionEvents`). Only the container: when
 * held events are stored, and what a scope guarantees, is emit.ts's.
 */
type Held = Map<Db, EventToAppend[]>;
const scope = new AsyncLocalStorage<Held>();

/** Whether the caller runs inside a scope that holds events (outside one, a hold is stored at once). */
export const insideHoldingScope = (): boolean => scope.getStore() !== undefined;

/** Holds `events` behind those held before, in the current scope (callers check `insideHoldingScope`). */
export function holdEvents(db: Db, events: EventToAppend[]): void {
  const held = scope.getStore()!;
  held.set(db, [...(held.get(db) ?? []), ...events]);
}

/** The events held for `db` in the current scope (none outside one), no longer held: the caller stores them. */
export function takeHeldEvents(db: Db): EventToAppend[] {
  const held = scope.getStore();
  const taken = held?.get(db) ?? [];
  held?.delete(db);
  return taken;
}

/** Runs `run` in a new scope; `held` then has what it still holds when it ends. */
export function runHoldingScope<T>(held: Held, run: () => Promise<T>): Promise<T> {
  return scope.run(held, run);
}

import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { evolutionCollections, UsageDoc } from './evolutionStore';

export interface UsageRecorder {
  record(component: string, version: string, latencyMs: number, ok: boolean): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const FLUSH_MS = 1000;

/**
 * Per-version usage, exact and cheap on FerretDB (whose concurrent `$inc` loses writes):
 * this process keeps cumulative counts in memory and is the only writer of its own
 * documents (`_id` = version + worker id), which it overwrites with `$set` every second
 * and at shutdown. Readers sum the documents of all workers. A crash loses at most the
 * last second of this worker's counts.
 */
export function createUsageRecorder(db: Db, workerId = randomUUID()): UsageRecorder {
  const totals = new Map<string, Omit<UsageDoc, '_id'>>();
  const dirty = new Set<string>();
  let flushing: Promise<void> = Promise.resolve();

  const timer = setInterval(() => void flush().catch(() => undefined), FLUSH_MS);
  timer.unref();

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      const ids = [...dirty];
      dirty.clear();
      for (const id of ids) {
        const t = totals.get(id)!;
        await evolutionCollections(db).usage.updateOne({ _id: id }, { $set: { ...t } }, { upsert: true });
      }
    });
    return flushing;
  }

  return {
    record(component, version, latencyMs, ok) {
      const id = `${component}@${version}:${workerId}`;
      const t = totals.get(id) ?? {
        component,
        version,
        worker_id: workerId,
        usage_count: 0,
        error_count: 0,
        total_latency_ms: 0,
        last_used: null,
      };
      t.usage_count += 1;
      if (!ok) t.error_count += 1;
      t.total_latency_ms += latencyMs;
      t.last_used = new Date().toISOString();
      totals.set(id, t);
      dirty.add(id);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

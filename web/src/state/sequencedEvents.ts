/** A stored event as the reducers see it: its per-stream sequence number and payload. */
export interface SequencedEvent<D = unknown> {
  seq: number;
  data: D;
}

/**
 * The events of a batch that are new: seq above what is already applied,
 * in ascending seq order, each seq once. Replays after a reconnect and
 * overlapping deliveries therefore never apply anything twice.
 */
export function freshInOrder<E extends SequencedEvent>(events: readonly E[], lastSeq: number): E[] {
  const fresh = events.filter((e) => Number.isFinite(e.seq) && e.seq > lastSeq);
  fresh.sort((a, b) => a.seq - b.seq);
  const out: E[] = [];
  for (const e of fresh) if (out.length === 0 || out[out.length - 1]!.seq !== e.seq) out.push(e);
  return out;
}

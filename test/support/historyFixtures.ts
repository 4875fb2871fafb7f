import { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Recorded workflow histories that the replay test (test/unit/workflows-replayHistories.test.ts) replays
 * against the current workflow code: a change that would break a running workflow (an activity
 * called in another order, a timer added before an activity) fails there. The integration tests that run
 * the workflows record them, only when `RECORD_HISTORIES=1` (scripts/recordHistories.sh sets it).
 */
export const HISTORY_FIXTURES_DIR = path.resolve(__dirname, '../fixtures/histories');

/**
 * The workflows with a recorded history: one fixture each, named for its workflow type; and
 * `chatTurnPatched`, a turn started before the API said its `revision` (it asked `patched()`),
 * kept as recorded then: turns like it may still be in flight, and nothing re-records it.
 */
export const HISTORY_FIXTURES = ['chatTurn', 'chatTurnPatched', 'evolveComponent', 'abExperiment', 'generateTool'] as const;
export type HistoryFixture = (typeof HISTORY_FIXTURES)[number];

const { History } = temporal.api.history.v1;
type History = temporal.api.history.v1.History;

interface HistorySource {
  fetchHistory(): Promise<temporal.api.history.v1.IHistory>;
}

/** protobufjs's plain form: enums by name, 64-bit numbers and bytes as strings (base64), no defaults. */
const PLAIN = { enums: String, longs: String, bytes: String } as const;

/** Writes the history of a finished workflow as fixture `name`, when re-recording; otherwise does nothing. */
export async function recordHistoryFixture(handle: HistorySource, name: HistoryFixture): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const events: unknown[] = History.toObject(History.fromObject(await handle.fetchHistory()), PLAIN).events ?? [];
  // One event a line: small, and a re-recording diffs event by event.
  const json = `{"events": [\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
  fs.mkdirSync(HISTORY_FIXTURES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORY_FIXTURES_DIR, `${name}.json`), json);
}

/** The recorded history `name`, as the protobuf message replay takes. */
export function readHistoryFixture(name: HistoryFixture): History {
  return History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORY_FIXTURES_DIR, `${name}.json`), 'utf8')));
}

import { asyncLocalStorage } from '@temporalio/activity';
import type { CommandStartedEvent, MongoClient } from 'mongodb';

/**
 * Every command a client sends the store, by the step that sent it: the Temporal activity whose
 * context it ran in (its type), or `outside activities` (the API's requests, the event feed and
 * its wake-ups). Keyed within a step by `command collection`, so a figure says where it goes.
 */
export const OUTSIDE_ACTIVITIES = 'outside activities';

export type CommandCounts = Record<string, Record<string, number>>;

/** Driver-internal traffic (handshakes, heartbeats, sessions) that no code of ours asked for. */
const INTERNAL = new Set(['hello', 'ismaster', 'isMaster', 'endSessions', 'ping', 'buildInfo', 'saslStart', 'saslContinue']);

/** Counts the commands of `client`, which must be made with `monitorCommands` (the option, or `monitorCommands=true` in its URL). */
export function countStoreCommands(client: MongoClient) {
  let counts: CommandCounts = {};
  const onStarted = (event: CommandStartedEvent) => {
    if (INTERNAL.has(event.commandName)) return;
    const step = asyncLocalStorage.getStore()?.info.activityType ?? OUTSIDE_ACTIVITIES;
    const target = event.command[event.commandName];
    const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
    const inStep = (counts[step] ??= {});
    inStep[key] = (inStep[key] ?? 0) + 1;
  };
  client.on('commandStarted', onStarted);
  return {
    /** What was counted since the last take, and start again from zero. */
    take(): CommandCounts {
      const taken = counts;
      counts = {};
      return taken;
    },
    stop: () => client.off('commandStarted', onStarted),
  };
}

import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { MongoClient } from 'mongodb';
import { processesUnder } from './processCpu';
import { stats } from './stats';

/**
 * Where a burst of concurrent turns waits rather than computes, for bench/load.ts: whether the
 * machine's cores were busy at all (from /proc/stat, so other programs' load shows too), how long
 * each turn's workflow and activity tasks sat in Temporal's queues before a worker slot took them
 * (from the turns' histories), how long this run's threads were ready to run but waited for a
 * core (the scheduler's run-queue wait, /proc/<pid>/task/<tid>/schedstat), and how long a store
 * command waited for a driver connection.
 */

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The whole machine's CPU time in ticks: busy (every state but idle and iowait) and in all. */
export interface MachineCpu {
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The share of the machine's cores that were busy between two readings, in percent. */
export const busyPercent = (from: MachineCpu, to: MachineCpu) =>
  round(((to.busy - from.busy) / Math.max(1, to.total - from.total)) * 100);

/** Per program, ms its threads ran and ms they waited, runnable, for a core; `main` is the root's main thread. */
export type SchedTimes = Map<string, { run: number; wait: number }>;

/** The scheduler's run and run-queue wait times of every living thread under `roots` (threads that exited are not counted). */
export function schedTimes(roots: Map<number, string>, mainThreadOf: number): SchedTimes {
  const times: SchedTimes = new Map();
  const add = (name: string, file: string) => {
    try {
      const [run, wait] = fs.readFileSync(file, 'utf8').split(' ').map(Number);
      const into = times.get(name) ?? { run: 0, wait: 0 };
      times.set(name, { run: into.run + run / 1e6, wait: into.wait + wait / 1e6 });
    } catch {
      // exited meanwhile
    }
  };
  for (const [pid, name] of processesUnder(roots)) {
    let tids: string[] = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) add(name, `/proc/${pid}/task/${tid}/schedstat`);
  }
  add('main', `/proc/${mainThreadOf}/task/${mainThreadOf}/schedstat`);
  return times;
}

/** Between two readings, per program: the share of the wall its threads ran and waited for a core (100 = one core's worth). */
export function schedShares(before: SchedTimes, after: SchedTimes, wallMs: number) {
  return Object.fromEntries(
    [...after].map(([name, t]) => {
      const from = before.get(name) ?? { run: 0, wait: 0 };
      return [
        name,
        { run_percent: round(((t.run - from.run) / wallMs) * 100), wait_percent: round(((t.wait - from.wait) / wallMs) * 100) },
      ];
    }),
  );
}

const ms = (event: HistoryEvent) => {
  const t = event.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6;
};

/** One turn's workflow time by where it went, in ms. */
interface TurnTimes {
  /** Workflow and activity tasks waiting in a queue for a worker's poller and slot. */
  workflowTaskQueue: number;
  activityTaskQueue: number;
  /** Workflow tasks running on the worker (with the local activities run inside them). */
  workflowTaskRun: number;
  activityRun: number;
  workflowTasks: number;
  activities: number;
  /** Workflow tasks that timed out running (a slow worker: their local activities run again) or failed. */
  workflowTasksLost: number;
  /** Workflow tasks that waited on the worker's sticky queue too long and went to the shared queue. */
  workflowTasksUnstuck: number;
}

function turnTimes(events: HistoryEvent[]): TurnTimes {
  const times: TurnTimes = {
    workflowTaskQueue: 0,
    activityTaskQueue: 0,
    workflowTaskRun: 0,
    activityRun: 0,
    workflowTasks: 0,
    activities: 0,
    workflowTasksLost: 0,
    workflowTasksUnstuck: 0,
  };
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  for (const e of events) {
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        times.workflowTaskQueue += ms(e) - ms(byId.get(Number(e.workflowTaskStartedEventAttributes!.scheduledEventId))!);
        times.workflowTasks++;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: {
        const attributes =
          e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes;
        // A task that timed out in its queue (sticky schedule-to-start) never started.
        const started = byId.get(Number(attributes!.startedEventId));
        if (started) times.workflowTaskRun += ms(e) - ms(started);
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) break;
        if (started) times.workflowTasksLost++;
        else times.workflowTasksUnstuck++;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        times.activityTaskQueue += ms(e) - ms(byId.get(Number(e.activityTaskStartedEventAttributes!.scheduledEventId))!);
        times.activities++;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attributes =
          e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
        const started = byId.get(Number(attributes!.startedEventId));
        if (started) times.activityRun += ms(e) - ms(started);
        break;
      }
    }
  }
  return times;
}

/** Per turn, p50/p99 of each part of its workflow's time, from the workflows' histories. */
export async function temporalTurnTimes(client: Client, workflowIds: string[]) {
  const histories = await Promise.all(workflowIds.map((id) => client.workflow.getHandle(id).fetchHistory()));
  const turns = histories.map((h) => turnTimes(h.events ?? []));
  const of = (key: keyof TurnTimes) => stats(turns.map((t) => t[key]));
  /** A count per turn, not a duration: the same percentiles, named as counts. */
  const countOf = (key: keyof TurnTimes) => {
    const { p50_ms, p99_ms, max_ms } = of(key);
    return { p50: p50_ms, p99: p99_ms, max: max_ms };
  };
  return {
    workflow_task_queue: of('workflowTaskQueue'),
    workflow_task_run: of('workflowTaskRun'),
    activity_task_queue: of('activityTaskQueue'),
    activity_run: of('activityRun'),
    workflow_tasks_per_turn: countOf('workflowTasks'),
    activities_per_turn: countOf('activities'),
    workflow_tasks_timed_out_running_or_failed_per_turn: countOf('workflowTasksLost'),
    turns_with_a_lost_workflow_task: turns.filter((t) => t.workflowTasksLost > 0).length,
    sticky_queue_timeouts_per_turn: countOf('workflowTasksUnstuck'),
  };
}

/** How long each command waited for a connection of the driver's pool, and how many connections it opened meanwhile. */
export function watchPool(client: MongoClient) {
  const waits: number[] = [];
  let opened = 0;
  const onCheckedOut = (e: { durationMS: number }) => waits.push(e.durationMS);
  const onCreated = () => opened++;
  client.on('connectionCheckedOut', onCheckedOut);
  client.on('connectionCreated', onCreated);
  return {
    take() {
      client.off('connectionCheckedOut', onCheckedOut);
      client.off('connectionCreated', onCreated);
      return { checkout_wait: stats(waits), connections_opened: opened };
    },
  };
}

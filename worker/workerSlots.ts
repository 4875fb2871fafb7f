import os from 'node:os';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * How many workflow tasks one worker runs at once. A chat turn runs its short steps as local
 * activities inside a workflow task (workflows/chatTurn.ts), so a task holds its slot, and the
 * CPU, for a whole run of steps. With the SDK's 40 slots, a burst of turns on a small machine
 * starts more steps than its cores finish within the task's 10-second timeout: tasks time out,
 * their local activities run again, and each turn costs more CPU the more the machine is loaded
 * (bench/load.ts `--compare-slots`, 100 sessions on two cores: 40 and 89 of 100 turns lost a
 * workflow task with the SDK's slots, none with these; on a quiet machine neither lost one, and
 * turns/s were within the bursts' own spread: 5.2 and 4.9 against 5.3 and 5.8). Fewer slots
 * keep the excess waiting in Temporal's queue, where waiting costs nothing, and let the started
 * tasks finish in time; more cores take more at once. Memory does not grow with them: the workflow cache (the SDK's default,
 * sized from the heap) holds every turn that waits either way.
 */
export type WorkerSlots = Pick<WorkerOptions, 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentWorkflowTaskPolls'>;

/** Workflow tasks at once per core: enough to keep a core busy while the others wait on the store. */
const TASKS_PER_CORE = 5;
/** The SDK's own default: more cores do not raise it. */
const MOST_TASKS = 40;

export function workerSlots(cores = os.availableParallelism()): WorkerSlots {
  const tasks = Math.min(MOST_TASKS, TASKS_PER_CORE * cores);
  // The SDK's advice: half as many pollers as slots; it takes at least 2.
  return { maxConcurrentWorkflowTaskExecutions: tasks, maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(tasks / 2)) };
}

import { temporal } from '@temporalio/proto';
import { pingMongo } from '../../store/mongo';
import type { ApiDeps } from '../deps';

export interface HealthReport {
  ok: boolean;
  temporal: string;
  mongodb: string;
  worker: string;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

const describe = (err: unknown) => `unreachable: ${err instanceof Error ? err.message : String(err)}`;

/** Reachability of Temporal, MongoDB and at least one worker polling Evoscope's task queue. */
export async function checkHealth(deps: Pick<ApiDeps, 'db' | 'temporal' | 'env'>): Promise<HealthReport> {
  const [mongodb, temporalState] = await Promise.all([
    withTimeout(pingMongo(deps.db), 3000).then(() => 'ok', describe),
    withTimeout(
      deps.temporal.workflowService.describeTaskQueue({
        namespace: deps.env.TEMPORAL_NAMESPACE,
        taskQueue: { name: deps.env.EVOSCOPE_TASK_QUEUE },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
      3000,
    ).then((res) => ({ state: 'ok', pollers: res.pollers?.length ?? 0 }), (err) => ({ state: describe(err), pollers: 0 })),
  ]);
  const worker = temporalState.state !== 'ok' ? 'unknown: Temporal is unreachable' : temporalState.pollers > 0 ? 'ok' : 'no worker is polling the task queue';
  return { ok: mongodb === 'ok' && temporalState.state === 'ok' && worker === 'ok', temporal: temporalState.state, mongodb, worker };
}

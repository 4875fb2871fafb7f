import { temporal } from '@temporalio/proto';
import { readFile } from 'node:fs/promises';
import type { ApiIdentity, HealthReport } from '../../domain/health';
import { serviceProblems, SupervisorStatus } from '../../domain/supervisorStatus';
import { pingMongo } from '../../store/mongo';
import type { ApiDeps } from '../deps';

const STARTED_AT = new Date().toISOString();

/** The supervisor's status file, if this process runs under one; unreadable means unknown, not unhealthy. */
async function supervisedServices(file: string | undefined): Promise<SupervisorStatus['services'] | undefined> {
  if (!file) return undefined;
  try {
    return SupervisorStatus.parse(JSON.parse(await readFile(file, 'utf8'))).services;
  } catch {
    return undefined;
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

const describe = (err: unknown) => `unreachable: ${err instanceof Error ? err.message : String(err)}`;

/** Which API process answers, and its restarts under a supervisor: no dependency is asked, so it always answers. */
export async function apiIdentity(env: Pick<ApiDeps['env'], 'EVOSCOPE_SUPERVISOR_STATUS'>): Promise<ApiIdentity> {
  const services = await supervisedServices(env.EVOSCOPE_SUPERVISOR_STATUS);
  return {
    api: { started_at: STARTED_AT },
    ...(services ? { services } : {}),
    service_problems: services ? serviceProblems(services, Date.now()) : [],
  };
}

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
    ).then(
      (res) => ({ state: 'ok', pollers: res.pollers?.length ?? 0 }),
      (err) => ({ state: describe(err), pollers: 0 }),
    ),
  ]);
  const worker =
    temporalState.state !== 'ok'
      ? 'unknown: Temporal is unreachable'
      : temporalState.pollers > 0
        ? 'ok'
        : 'no worker is polling the task queue';
  const identity = await apiIdentity(deps.env);
  return {
    ok: mongodb === 'ok' && temporalState.state === 'ok' && worker === 'ok' && identity.service_problems.length === 0,
    temporal: temporalState.state,
    mongodb,
    worker,
    ...identity,
  };
}

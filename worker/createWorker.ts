import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { createActivities } from '../activities';
import { loadDocsCorpus } from '../components/corpus';
import { loadComponents } from '../components/registry';
import type { Env } from '../domain/server/env';

export interface WorkerSetup {
  env: Env;
  db: Db;
  connection: NativeConnection;
  /** Tests pass a prebuilt bundle so it is built once per test file. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** A Temporal worker with Evoscope's workflows and activities, its components and docs loaded. */
export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const { env, db } = setup;
  const loaded = await loadComponents(env.EVOSCOPE_COMPONENTS_DIR);
  const components = new Map(loaded.map((c) => [c.name, c]));
  const corpus = await loadDocsCorpus(env.EVOSCOPE_DOCS_DIR);
  return Worker.create({
    connection: setup.connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.EVOSCOPE_TASK_QUEUE,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ db, env, components, corpus }),
    // Stop must reach a streaming answer quickly: heartbeats (which carry cancellation) go out often.
    maxHeartbeatThrottleInterval: '250 milliseconds',
    shutdownGraceTime: '10 seconds',
  });
}

import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { createActivities } from '../activities';
import { HEARTBEAT_EVERY_MS } from '../activities/heartbeats';
import { loadDocsCorpus } from '../registry/corpus';
import { startLiveRegistry } from '../registry/liveRegistry';
import { createUsageRecorder } from '../store/usageRecorder';
import { startStoreTrimming } from '../store/storeTrimming';
import { startSnapshotPublisher } from '../metrics/snapshotPublisher';
import type { Env } from '../domain/server/env';
import { tracingWorkerPlugins } from '../telemetry/temporalTracing';
import { startTracing } from '../telemetry/tracingSetup';
import { workerSlots, type WorkerSlots } from './workerSlots';

export interface WorkerSetup {
  env: Env;
  db: Db;
  connection: NativeConnection;
  /** Tests pass a prebuilt bundle so it is built once per test file. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Benches compare other slot counts (`{}`: the SDK's defaults); otherwise workerSlots(). */
  slots?: WorkerSlots;
}

/**
 * A Temporal worker with Evoscope's workflows and activities and its docs loaded. Components
 * come from the live registry (seeded from the folder, watched, and following the store), so
 * a promoted or rolled-back version is what the next chat turn runs.
 */
export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const { env, db } = setup;
  const registry = await startLiveRegistry(db, env.EVOSCOPE_COMPONENTS_DIR);
  const usage = createUsageRecorder(db);
  const trimming = startStoreTrimming(db);
  const metrics = startSnapshotPublisher(db);
  const corpus = await loadDocsCorpus(env.EVOSCOPE_DOCS_DIR);
  const tracing = startTracing(env, 'evoscope-worker');
  const worker = await Worker.create({
    connection: setup.connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.EVOSCOPE_TASK_QUEUE,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({
      db,
      env,
      components: registry.components,
      corpus,
      usage,
      refreshComponents: () => registry.refreshFromStore(),
      tracing,
    }),
    plugins: tracingWorkerPlugins(tracing),
    ...(setup.slots ?? workerSlots()),
    // Stop must reach a streaming answer quickly: heartbeats (which carry cancellation) go out as often as it sends them.
    maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
    shutdownGraceTime: '10 seconds',
  });
  // The watcher, the usage buffer, the trimming and the metrics publisher live as long as the worker: stop them when it is told to stop.
  const shutdown = worker.shutdown.bind(worker);
  worker.shutdown = () => {
    registry.close();
    trimming.stop();
    void usage.close().catch(() => undefined);
    void metrics.close().catch(() => undefined);
    shutdown();
  };
  return worker;
}

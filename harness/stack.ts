import type { Client } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import path from 'node:path';
import { buildApp } from '../api/app';
import { connectTemporalClient } from '../api/temporalClient';
import { createEventFeed } from '../api/events/eventFeed';
import { Env, loadEnv } from '../domain/server/env';
import { connectMongo, Mongo } from '../store/mongo';
import { prepareDatabase } from '../store/prepareDatabase';
import { createWorker } from '../worker/createWorker';
import type { WorkerSlots } from '../worker/workerSlots';
import { uniqueDbName } from './servers';

/**
 * The whole Evoscope stack in the test (or bench) process, on the real Temporal and FerretDB
 * servers that jest's global setup (or bench/run.ts) started: a worker on its own task queue and the API
 * on a free port, against a database no other test file uses.
 */
export interface TestStack {
  env: Env;
  mongo: Mongo;
  temporal: Client;
  baseUrl: string;
  wsUrl: string;
  token: string;
  stop(): Promise<void>;
}

// Expected failures (a tool refusing 1/0) would otherwise fill the test output with warnings.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
/** Built once per test file. */
export const workflowBundle = () =>
  (bundle ??= bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../workflows'),
    logger: new DefaultLogger('ERROR'),
  }));

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface StackOptions {
  /** false: run no worker in this process (a test starts worker processes itself). */
  withWorker?: boolean;
  /** The worker's slots, when a bench compares them (worker/workerSlots.ts). */
  workerSlots?: WorkerSlots;
}

export async function startTestStack(
  name: string,
  envOverrides: Record<string, string> = {},
  options: StackOptions = {},
): Promise<TestStack> {
  const env = loadEnv({
    ...process.env,
    MONGODB_DB: uniqueDbName(name),
    EVOSCOPE_TOKEN: TEST_TOKEN,
    OFFLINE_TOKEN_DELAY_MS: '2',
    PORT: '0',
    EVOSCOPE_TASK_QUEUE: `q-${uniqueDbName(name)}`,
    ...envOverrides,
  });
  const mongo = await connectMongo(env.MONGODB_URL, env.MONGODB_DB);
  await prepareDatabase(mongo.db);
  const nativeConnection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker: Worker | null =
    options.withWorker === false
      ? null
      : await createWorker({
          env,
          db: mongo.db,
          connection: nativeConnection,
          workflowBundle: await workflowBundle(),
          slots: options.workerSlots,
        });
  const running = worker?.run();
  const temporalClient = await connectTemporalClient(env);
  const { temporal } = temporalClient;
  const feed = createEventFeed(mongo.db);
  const app = buildApp({ env, db: mongo.db, temporal, feed, token: TEST_TOKEN });
  const port = await app.start(0, '127.0.0.1');
  return {
    env,
    mongo,
    temporal,
    token: TEST_TOKEN,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      await app.stop();
      await feed.close();
      await temporalClient.close();
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await mongo.client.close();
    },
  };
}

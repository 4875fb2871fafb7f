import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import path from 'node:path';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
  /**
   * Runs `body` while a worker with these activities polls `taskQueue`. Each run names a queue of
   * its own, so no run's workflow lands on another run's worker (and its mocked activities).
   */
  runWorker<T>(taskQueue: string, activities: object, body: () => Promise<T>): Promise<T>;
}

/**
 * Temporal's time-skipping test server (the binary provisioned in .tools/, never a download)
 * and the workflows bundle, built once per test file; torn down after it. The worker runtime
 * logs errors only: workflows that fail on purpose would otherwise flood the test output.
 */
export function useTimeSkipping(): TimeSkipping {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const ready = {} as TimeSkipping;
  ready.runWorker = async (taskQueue, activities, body) => {
    const worker = await Worker.create({
      connection: ready.env.nativeConnection,
      taskQueue,
      workflowBundle: ready.bundle,
      activities,
    });
    return worker.runUntil(body);
  };
  beforeAll(async () => {
    ready.env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: {
          type: 'existing-path',
          path: process.env.TEMPORAL_TEST_SERVER_PATH ?? path.resolve(__dirname, '../../.tools/venv/bin/temporal-test-server'),
        },
      },
    });
    ready.bundle = await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../../workflows'),
      logger: new DefaultLogger('ERROR'),
    });
  }, 120_000);
  afterAll(async () => {
    await ready.env?.teardown();
  });
  return ready;
}

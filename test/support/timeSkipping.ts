import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import path from 'node:path';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
}

/**
 * Temporal's time-skipping test server (the binary provisioned in .tools/, never a download)
 * and the workflows bundle, built once per test file; torn down after it.
 */
export function useTimeSkipping(): TimeSkipping {
  const ready = {} as TimeSkipping;
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

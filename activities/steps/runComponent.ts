import { ApplicationFailure } from '@temporalio/activity';
import type { LoadedComponent } from '../../registry/registry';
import type { UsageRecorder } from '../../store/usageRecorder';
import { runInSandbox } from '../../sandbox/runInSandbox';
import { observeSandboxCall } from '../../metrics/workerMetrics';

/**
 * Runs a component's code in the sandbox. A component that fails fails the same way
 * on every retry, so the failure is non-retryable: the step becomes an error node.
 */
export async function runComponent(component: LoadedComponent, input: unknown, usage?: UsageRecorder): Promise<unknown> {
  const result = await runInSandbox({ code: component.code, input });
  usage?.record(component.name, component.version, result.durationMs, result.ok);
  observeSandboxCall('turn', result);
  if (!result.ok) {
    throw ApplicationFailure.create({
      message: `${component.name} failed (${result.failure}): ${result.error}`,
      type: 'ComponentFailed',
      nonRetryable: true,
      details: [{ component: component.name, version: component.version, failure: result.failure }],
    });
  }
  return result.output;
}

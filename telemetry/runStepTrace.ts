import type { Db } from 'mongodb';
import { OpenInferenceSpanKind, SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import type { TokenUsage } from '../domain/execution';
import type { TokenUsageListener } from '../model/modelClient';
import { saveRunStep, type StepAttributes } from '../store/runStepStore';
import { modelCallAttributes } from './genAiAttributes';
import type { Tracing } from './tracingSetup';

/**
 * The activity's half of a run's trace: a step (a proposal, a suite run, a judgement, a
 * promotion, a model call inside one of them) stored with its times and what it found, for the
 * run's exporter to send when the run ends (runTraceExport.ts). With tracing off the work just
 * runs: nothing is read, timed or stored.
 */
export interface StepSpec {
  /** The run's workflow id (the evolution's, the generation's). */
  runId: string;
  /** The step's name within the run, the same on every attempt. */
  key: string;
  /** The key of the step this one is part of; none for a step of the run itself. */
  parentKey?: string;
  /** When the step began, when an earlier record says (an experiment, from its opening to its verdict); else when `work` starts. */
  since?: string;
  name: string;
  kind: OpenInferenceSpanKind;
}

interface TraceDeps {
  db: Db;
  tracing?: Tracing | null;
}

/** Where `describe` gets a step's attributes from: its result, or nothing when it failed. */
export type Describe<T> = (result: T) => StepAttributes;

/**
 * Runs `work` as the step `spec` resolves to (null: not a step of any traced run), storing the
 * step when it ends, failed or not. `spec` is only asked for when tracing is on: finding the
 * run may take a read.
 */
export async function traceStep<T>(
  deps: TraceDeps,
  spec: () => Promise<StepSpec | null> | StepSpec | null,
  work: () => Promise<T>,
  describe: Describe<T>,
): Promise<T> {
  if (!deps.tracing) return work();
  const step = await spec();
  if (!step) return work();
  const started_at = step.since ?? new Date().toISOString();
  const save = (attributes: StepAttributes, error: string | null) =>
    saveRunStep(deps.db, {
      run_id: step.runId,
      key: step.key,
      parent_key: step.parentKey ?? null,
      name: step.name,
      started_at,
      ended_at: new Date().toISOString(),
      attributes: { [SemanticConventions.OPENINFERENCE_SPAN_KIND]: step.kind, ...attributes },
      error,
    });
  try {
    const result = await work();
    await save(describe(result), null);
    return result;
  } catch (err) {
    await save({}, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** A step that is part of `parent`. */
export const childStep = (parent: StepSpec, key: string, name: string, kind: OpenInferenceSpanKind): StepSpec => ({
  runId: parent.runId,
  key: `${parent.key}/${key}`,
  parentKey: parent.key,
  name,
  kind,
});

/** Who served a call to an OpenAI-compatible endpoint: its host, as the model's label names it. */
const providerOf = (baseUrl: string) => new URL(baseUrl).host;

/**
 * A call to a model as an LLM step of `parent` (none: not traced): `call` hands its listener to
 * the model client, which reports the call's tokens.
 */
export async function traceModelCall<T>(
  deps: TraceDeps,
  parent: () => StepSpec | null,
  settings: { baseUrl: string; model: string },
  call: (onUsage: TokenUsageListener) => Promise<T>,
): Promise<T> {
  let usage: TokenUsage | null = null;
  return traceStep(
    deps,
    () => {
      const step = parent();
      return step && childStep(step, 'model', `chat ${settings.model}`, OpenInferenceSpanKind.LLM);
    },
    () => call((u) => (usage = u)),
    () => modelCallAttributes({ provider: providerOf(settings.baseUrl), model: settings.model, usage }),
  );
}

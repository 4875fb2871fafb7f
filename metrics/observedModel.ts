import type { ModelClient } from '../model/modelClient';
import { observeModelCall, type ModelOperation } from './workerMetrics';

/** Times `call` as one model call of `operation`, ok or not, and hands back its result or error. */
async function timed<T>(operation: ModelOperation, kind: ModelClient['kind'], call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let ok = false;
  try {
    const result = await call();
    ok = true;
    return result;
  } finally {
    observeModelCall(operation, kind, ok, (performance.now() - started) / 1000);
  }
}

/**
 * The same model, its calls timed into evoscope_model_call_duration_seconds. A wrapper rather
 * than code in each client: every call site gets its models from one place (activities'
 * availableModels), and the clients stay about speaking to the model.
 */
export function observedModel(model: ModelClient): ModelClient {
  const streamAnswer: ModelClient['streamAnswer'] = (prompt, onDelta, signal, onUsage) =>
    timed('stream_answer', model.kind, () => model.streamAnswer(prompt, onDelta, signal, onUsage));
  if (model.kind === 'offline') return { kind: model.kind, label: model.label, streamAnswer };
  return {
    kind: model.kind,
    label: model.label,
    streamAnswer,
    complete: (messages) => timed('complete', model.kind, () => model.complete(messages)),
    callFunctions: (messages, functions, forced) =>
      timed('call_functions', model.kind, () => model.callFunctions(messages, functions, forced)),
  };
}

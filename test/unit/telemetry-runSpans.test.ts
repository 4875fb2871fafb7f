import { SpanStatusCode } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import type { RunStepDoc } from '../../store/runStepStore';
import { runSpans, type RunRoot } from '../../telemetry/runSpans';
import { runSpanId, runTraceId, stepSpanId } from '../../telemetry/traceIds';

const resource = new Resource({ 'service.name': 'test' });
const run: RunRoot = {
  runId: 'evolve-component:e1',
  name: 'evolution: calculator',
  startedAt: '2026-01-01T00:00:01.000Z',
  attributes: { 'evoscope.component': 'calculator' },
  error: null,
};

const step = (key: string, parent: string | null, start: number, end: number, error: string | null = null): RunStepDoc => ({
  _id: `${run.runId}/${key}`,
  run_id: run.runId,
  key,
  parent_key: parent,
  name: key,
  started_at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + start).toISOString(),
  ended_at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + end).toISOString(),
  attributes: { 'openinference.span.kind': 'CHAIN' },
  error,
});

const steps = [
  step('propose', null, 500, 2000),
  step('propose/model', 'propose', 600, 1900),
  step('experiment:e1/suite:a', 'experiment:e1', 2100, 3000, 'the sandbox is gone'),
];

describe('a run as spans', () => {
  const [root, propose, model, suite] = runSpans(run, steps, resource);

  it('names every span under ids derived from the workflow id and the step keys', () => {
    expect(new Set([root, propose, model, suite].map((s) => s.spanContext().traceId))).toEqual(new Set([runTraceId(run.runId)]));
    expect(root.spanContext().spanId).toBe(runSpanId(run.runId));
    expect(model.spanContext().spanId).toBe(stepSpanId(run.runId, 'propose/model'));
    expect(stepSpanId(run.runId, 'propose')).not.toBe(stepSpanId('evolve-component:e2', 'propose'));
  });

  it('hangs a step from the step it is part of, else (none, or one that never ended) from the root', () => {
    expect(root.parentSpanId).toBeUndefined();
    expect(propose.parentSpanId).toBe(root.spanContext().spanId);
    expect(model.parentSpanId).toBe(propose.spanContext().spanId);
    expect(suite.parentSpanId).toBe(root.spanContext().spanId);
  });

  it('covers every step with the root, from a step stored before the workflow start', () => {
    expect(root.startTime).toEqual(propose.startTime);
    expect(root.endTime[0]).toBeGreaterThanOrEqual(suite.endTime[0]);
    expect(root.attributes).toMatchObject({ 'evoscope.component': 'calculator', 'evoscope.step.count': 3 });
    expect(model.attributes).toMatchObject({ 'evoscope.step.key': 'propose/model', 'evoscope.workflow.id': run.runId });
  });

  it('marks a failed step as an error, with its message', () => {
    expect(suite.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the sandbox is gone' });
    expect(propose.status.code).toBe(SpanStatusCode.UNSET);
  });
});

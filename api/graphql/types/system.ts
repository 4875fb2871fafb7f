import { AutonomyLevel } from '../../../domain/enums';
import { MetricsDay, RunMetrics, SystemMetrics } from '../../../domain/meta';
import type { ModelConnectionTest, ModelSettingsView } from '../../../domain/modelSettings';
import { ServerInfo } from '../../../domain/serverInfo';
import { ActivityMinute, SystemActivity } from '../../../domain/systemActivity';
import { builder } from '../builder';
import { zodFields } from '../zodFields';

const AutonomyLevelEnum = builder.enumType('AutonomyLevel', { values: AutonomyLevel.options });
const METRICS_EVERY_MS = 2000;

const ModelSettingsRef = builder.objectRef<ModelSettingsView>('ModelSettings').implement({
  fields: (t) => ({
    base_url: t.exposeString('base_url', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    has_api_key: t.exposeBoolean('has_api_key', { description: 'The key itself is never returned.' }),
    api_key_cleared: t.exposeBoolean('api_key_cleared', {
      description:
        'In the answer to update_model_settings: the stored key was dropped (clear_api_key, or base_url moved without a new api_key). False when read.',
    }),
    offline: t.exposeBoolean('offline'),
  }),
});

const ModelSettingsInput = builder.inputType('ModelSettingsInput', {
  description: 'A stored key is bound to the base_url it was given for: a new base_url without a new api_key clears it.',
  fields: (t) => ({
    base_url: t.string(),
    model: t.string(),
    api_key: t.string({ description: 'A new key; omitted keeps the stored one unless base_url changes.' }),
    clear_api_key: t.boolean({ description: 'true: forget the stored key.' }),
  }),
});

const ConnectionTestRef = builder.objectRef<ModelConnectionTest>('ConnectionTest').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    model: t.exposeString('model'),
    latency_ms: t.exposeFloat('latency_ms'),
    message: t.exposeString('message'),
  }),
});

const RunMetricsRef = builder.objectRef<RunMetrics>('RunMetrics').implement({ fields: (t) => zodFields(t, RunMetrics) });
const MetricsDayRef = builder.objectRef<MetricsDay>('MetricsDay').implement({ fields: (t) => zodFields(t, MetricsDay) });
const SystemMetricsRef = builder.objectRef<SystemMetrics>('SystemMetrics').implement({
  fields: (t) =>
    zodFields(t, SystemMetrics, {
      autonomy_level: t.field({ type: AutonomyLevelEnum, resolve: (m) => m.autonomy_level }),
      timeline: t.field({ type: [MetricsDayRef], resolve: (m) => m.timeline }),
      runs: t.field({ type: RunMetricsRef, resolve: (m) => m.runs }),
    }),
});

const ActivityMinuteRef = builder
  .objectRef<ActivityMinute>('ActivityMinute')
  .implement({ fields: (t) => zodFields(t, ActivityMinute) });
const SystemActivityRef = builder.objectRef<SystemActivity>('SystemActivity').implement({
  description: SystemActivity.description,
  fields: (t) =>
    zodFields(t, SystemActivity, {
      minutes: t.field({
        type: [ActivityMinuteRef],
        resolve: (a) => a.minutes,
        description: SystemActivity.shape.minutes.description,
      }),
    }),
});

const ServerInfoRef = builder.objectRef<ServerInfo>('ServerInfo').implement({ fields: (t) => zodFields(t, ServerInfo) });

async function* metricsEvery(ms: number, read: () => Promise<SystemMetrics>, signal?: AbortSignal) {
  while (!signal?.aborted) {
    yield await read();
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

builder.queryFields((t) => ({
  model_settings: t.field({ type: ModelSettingsRef, resolve: (_, __, ctx) => ctx.system.modelSettings() }),
  autonomy_level: t.field({ type: AutonomyLevelEnum, resolve: (_, __, ctx) => ctx.system.autonomyLevel() }),
  system_metrics: t.field({ type: SystemMetricsRef, resolve: (_, __, ctx) => ctx.system.systemMetrics() }),
  system_activity: t.field({
    type: SystemActivityRef,
    description: 'The last hour minute by minute: turns, failures, p50 and p99 turn time.',
    resolve: (_, __, ctx) => ctx.system.systemActivity(),
  }),
  server_info: t.field({
    type: ServerInfoRef,
    resolve: (_, __, ctx) => ({
      temporal_ui_url: ctx.deps.env.TEMPORAL_UI_URL,
      namespace: ctx.deps.env.TEMPORAL_NAMESPACE,
      trace_url_template: ctx.deps.env.EVOSCOPE_TRACE_URL_TEMPLATE ?? null,
    }),
  }),
}));

builder.mutationFields((t) => ({
  update_model_settings: t.field({
    type: ModelSettingsRef,
    args: { input: t.arg({ type: ModelSettingsInput, required: true }) },
    resolve: (_, args, ctx) =>
      ctx.system.updateModelSettings(Object.fromEntries(Object.entries(args.input).filter(([, v]) => v != null))),
  }),
  test_model_connection: t.field({ type: ConnectionTestRef, resolve: (_, __, ctx) => ctx.system.testModelConnection() }),
  set_autonomy_level: t.field({
    type: AutonomyLevelEnum,
    args: { level: t.arg({ type: AutonomyLevelEnum, required: true }) },
    resolve: (_, args, ctx) => ctx.system.setAutonomyLevel(args.level),
  }),
}));

builder.subscriptionFields((t) => ({
  system_metrics_updates: t.field({
    type: SystemMetricsRef,
    subscribe: (_, __, ctx) => metricsEvery(METRICS_EVERY_MS, () => ctx.system.systemMetrics(), ctx.signal),
    resolve: (metrics) => metrics,
  }),
}));

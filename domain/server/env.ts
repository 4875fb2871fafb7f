import { z } from 'zod';
import path from 'node:path';
import { TASK_QUEUE, TURN_STEP_EXECUTIONS } from '../workflowContracts';
import { commaList } from './commaList';
import { HostNames } from './hostAllowList';

/** Every process validates its environment once, at start. */
const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Workers poll it and the API starts runs on it; tests give each file its own. */
  EVOSCOPE_TASK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default(TASK_QUEUE),
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  MONGODB_URL: z.string().default('mongodb://127.0.0.1:27017/?directConnection=true'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('evoscope'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  EVOSCOPE_DATA_DIR: z.string().default(path.resolve(__dirname, '..', '..', '.evoscope')),
  /** Set by `npm start`'s supervisor: its status file (domain/supervisorStatus.ts), shown on /healthz. */
  EVOSCOPE_SUPERVISOR_STATUS: z.string().optional(),
  EVOSCOPE_TOKEN: z.string().min(16).optional(),
  /**
   * Where to also serve /metrics without the token, for a Prometheus that holds none: `port` (on
   * 127.0.0.1) or `host:port`. Unset: /metrics is served only on the API's port, behind the token.
   */
  EVOSCOPE_METRICS_ADDRESS: z
    .string()
    .regex(/^(?:[A-Za-z0-9.-]+:|\[[0-9A-Fa-f:]+\]:)?\d{1,5}$/, 'port or host:port')
    .transform((address) => {
      const colon = address.lastIndexOf(':');
      const host = colon < 0 ? '127.0.0.1' : address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
      return { host, port: Number(address.slice(colon + 1)) };
    })
    .refine((a) => a.port <= 65535, 'port above 65535')
    .optional(),
  /**
   * Host names the API answers to besides IP addresses and localhost (comma-separated), e.g. the
   * name a reverse proxy forwards: any other `Host` is refused, so a page that rebinds its own DNS
   * name to this machine cannot reach the API.
   */
  EVOSCOPE_ALLOWED_HOSTS: HostNames,
  /**
   * Origins (`scheme://host[:port]`, comma-separated) whose pages may call the API from a browser;
   * none by default, so only the console's own origin can. Never echoed for any other origin.
   */
  EVOSCOPE_CORS_ORIGINS: commaList(
    (entry) => entry,
    isOrigin,
    (origin) => `not an origin: ${origin}`,
  ),
  EVOSCOPE_COMPONENTS_DIR: z.string().default(path.resolve(__dirname, '..', '..', 'components')),
  EVOSCOPE_DOCS_DIR: z.string().default(path.resolve(__dirname, '..', '..', 'docs')),
  /** Test suites evolution is judged by; outside the components folder, which evolution writes. */
  EVOSCOPE_SUITES_DIR: z.string().default(path.resolve(__dirname, '..', '..', 'datasets', 'suites')),
  /** Minutes between scheduled evolution sweeps; 0 (the default) leaves the schedule off. */
  EVOLUTION_SWEEP_INTERVAL_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(0),
  /** Mutants the offline operator tries per evolution (each scored on the training cases). */
  EVOLUTION_CANDIDATES: z.coerce.number().int().min(1).max(200).default(8),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  /** Delay between streamed tokens of the offline model, so streaming is visible. */
  OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(12),
  /** How chat turns run their short steps (see TurnStepExecution); the API passes it to each turn it starts. */
  EVOSCOPE_TURN_STEPS: z.enum(TURN_STEP_EXECUTIONS).default('local'),
  /** Standard OpenTelemetry: where traces go (OTLP/HTTP). Unset, nothing is traced (telemetry/tracingSetup.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** 1: spans carry prompt, completion and step input/output text; off by default (it may be private). */
  EVOSCOPE_TRACE_CONTENT: z
    .enum(['0', '1'])
    .default('0')
    .transform((flag) => flag === '1'),
  /** The team's trace UI, `{trace_id}` replaced by a node's trace id (e.g. `http://jaeger:16686/trace/{trace_id}`). */
  EVOSCOPE_TRACE_URL_TEMPLATE: z.string().includes('{trace_id}').optional(),
});
export type Env = z.infer<typeof EnvSchema>;

/** `https://app.example:8443` and nothing more: no path, query, credentials or trailing slash. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

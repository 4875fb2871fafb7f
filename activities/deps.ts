import type { Db } from 'mongodb';
import type { Env } from '../domain/server/env';
import type { CorpusDocument } from '../registry/corpus';
import type { LoadedComponent } from '../registry/registry';
import type { UsageRecorder } from '../store/usageRecorder';
import type { Tracing } from '../telemetry/tracingSetup';

/** Everything activities touch, handed in once by the worker (and by tests). */
export interface ActivityDeps {
  db: Db;
  env: Env;
  /** Each component's current version; the worker's live registry keeps it up to date. */
  components: ReadonlyMap<string, LoadedComponent>;
  /** The docs pages the docs retriever searches. */
  corpus: CorpusDocument[];
  /** Per-version usage (count, latency, errors); absent in tests that do not measure it. */
  usage?: UsageRecorder;
  /** Re-reads the current versions now, after this worker promoted or rolled one back. */
  refreshComponents?: () => Promise<void>;
  /** OpenTelemetry tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set: turns, evolutions and generations export their trace. */
  tracing?: Tracing | null;
}

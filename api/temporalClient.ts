import { Client, Connection } from '@temporalio/client';
import type { Env } from '../domain/server/env';
import { tracingClientInterceptors } from '../telemetry/temporalTracing';
import { startTracing } from '../telemetry/tracingSetup';
import { createTemporalCallGate } from './temporalCallGate';

/** The API's Temporal client; `close` ends it in order (./temporalCallGate.ts) once the API takes no more requests. */
export interface TemporalClient {
  temporal: Client;
  close(): Promise<void>;
}

/** Workflows the API starts join the turn's trace when tracing is on (telemetry/). */
export async function connectTemporalClient(env: Env): Promise<TemporalClient> {
  const gate = createTemporalCallGate();
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS, interceptors: gate.interceptors });
  const temporal = new Client({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    interceptors: tracingClientInterceptors(startTracing(env, 'evoscope-api')),
  });
  return {
    temporal,
    async close() {
      await gate.close();
      await connection.close();
    },
  };
}

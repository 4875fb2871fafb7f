import { Client, Connection } from '@temporalio/client';
import type { Env } from '../domain/server/env';
import { tracingClientInterceptors } from '../telemetry/temporalTracing';
import { startTracing } from '../telemetry/tracingSetup';

/**
 * The API's Temporal client: workflows it starts join the turn's trace when tracing is on
 * (telemetry/). The caller closes `connection` when it stops.
 */
export async function connectTemporalClient(env: Env): Promise<{ connection: Connection; temporal: Client }> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const temporal = new Client({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    interceptors: tracingClientInterceptors(startTracing(env, 'evoscope-api')),
  });
  return { connection, temporal };
}

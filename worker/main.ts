import { NativeConnection } from '@temporalio/worker';
import { loadEnv } from '../domain/server/env';
import { installLastResort } from '../domain/server/lastResort';
import { sandboxPool } from '../sandbox/sandboxPool';
import { connectMongo } from '../store/mongo';
import { prepareDatabase } from '../store/prepareDatabase';
import { stopTracing } from '../telemetry/tracingSetup';
import { createWorker } from './createWorker';

installLastResort('worker');

async function main() {
  const env = loadEnv();
  const mongo = await connectMongo(env.MONGODB_URL, env.MONGODB_DB);
  await prepareDatabase(mongo.db);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createWorker({ env, db: mongo.db, connection });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  console.log(`worker polling task queue on ${env.TEMPORAL_ADDRESS} (namespace ${env.TEMPORAL_NAMESPACE})`);
  await worker.run();
  // Only now: activities still finishing during the shutdown grace time run components.
  await sandboxPool.close();
  await connection.close();
  await mongo.client.close();
  await stopTracing();
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});

import { loadEnv } from '../domain/server/env';
import { installLastResort } from '../domain/server/lastResort';
import { connectMongo } from '../store/mongo';
import { prepareDatabase } from '../store/prepareDatabase';
import { stopTracing } from '../telemetry/tracingSetup';
import { buildApp } from './app';
import { resolveAccessToken } from './auth';
import { createEventFeed } from './events/eventFeed';
import { connectTemporalClient } from './temporalClient';
import { effectiveScheduleSetting, ensureEvolutionSchedule } from './services/evolutionSchedule';

installLastResort('api');

async function main() {
  const env = loadEnv();
  const mongo = await connectMongo(env.MONGODB_URL, env.MONGODB_DB);
  await prepareDatabase(mongo.db);
  const temporalClient = await connectTemporalClient(env);
  const { temporal } = temporalClient;
  const feed = createEventFeed(mongo.db);
  const sweep = await effectiveScheduleSetting(mongo.db, env);
  console.log(
    `evolution sweep schedule: ${await ensureEvolutionSchedule(temporal, env, sweep.enabled ? sweep.interval_minutes : 0)}`,
  );
  const token = await resolveAccessToken(env);
  const app = buildApp({ env, db: mongo.db, temporal, feed, token });
  const port = await app.start(env.PORT, env.HOST);
  console.log(`api listening on http://${env.HOST}:${port}`);

  const shutdown = async () => {
    await app.stop();
    await feed.close();
    await temporalClient.close();
    await mongo.client.close();
    await stopTracing();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
}

main().catch((err) => {
  console.error('api failed:', err);
  process.exit(1);
});

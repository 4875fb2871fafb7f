import { Db, MongoClient } from 'mongodb';
import { availableModels, modelForRoute } from '../../activities/resolveModelClient';
import { loadEnv } from '../../domain/server/env';
import { prepareDatabase } from '../../store/prepareDatabase';
import { updateModelSettings } from '../../store/settingsStore';
import { uniqueDbName } from '../../harness/servers';

/** A turn runs with the model settings revision it took at its start; a change applies from the next turn. */
let client: MongoClient;
let db: Db;
const env = loadEnv({});
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('turn_model_settings'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

const configure = (model: string) =>
  updateModelSettings(db, env, () => ({ base_url: 'http://model.example/v1', model, api_key: null }));
const modelsOf = (turn: { models: { label: { model: string } }[] }) => turn.models.map((m) => m.label.model);

test('with nothing stored a turn takes the environment (revision 0), whose models need no read', async () => {
  const turn = await availableModels(db, env);
  expect(turn.settingsRev).toBe(0);
  expect(turn.models.map((m) => m.label.offline)).toEqual([true]);
});

test("a turn's later steps keep the revision it took; the newest applies from the next turn", async () => {
  await configure('first');
  const turn = await availableModels(db, env);
  expect(modelsOf(turn)[0]).toBe('first');
  await configure('second');
  expect(modelsOf(await availableModels(db, env, turn.settingsRev))[0]).toBe('first');
  expect((await modelForRoute(db, env, ['nothing routed'], turn.settingsRev)).label.model).toBe('first');
  // Another process (a Db of its own, so none of this one's kept revisions) reads the revision by _id.
  const elsewhere = client.db(db.databaseName);
  expect(modelsOf(await availableModels(elsewhere, env, turn.settingsRev))[0]).toBe('first');
  const next = await availableModels(db, env);
  expect(next.settingsRev).toBe(turn.settingsRev + 1);
  expect(modelsOf(next)[0]).toBe('second');
});

test('a revision that does not exist gives the newest settings', async () => {
  const newest = await availableModels(db, env);
  const missing = await availableModels(db, env, newest.settingsRev + 100);
  expect(missing.settingsRev).toBe(newest.settingsRev);
  expect(modelsOf(missing)).toEqual(modelsOf(newest));
});

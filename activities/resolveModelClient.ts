import type { Db } from 'mongodb';
import type { Env } from '../domain/server/env';
import type { ModelClient } from '../model/modelClient';
import { modelClientFor } from '../model/modelSettings';
import { readModelSettings } from '../store/settingsStore';

/** Read at every use, so a model configured in the console applies to the next step. */
export async function resolveModelClient(db: Db, env: Env): Promise<ModelClient> {
  return modelClientFor(await readModelSettings(db, env), env);
}

import type { Db } from 'mongodb';
import { ensureIndexes } from './collections';
import { ensureEvolutionIndexes } from './evolutionStore';
import { ensureFolderSyncIndexes } from './folderSyncStore';
import { ensurePredictionIndexes } from './predictionStore';
import { ensureRunStepIndexes } from './runStepStore';
import { migrateLegacySettings } from './settingsStore';

/** Idempotent: every process calls it at start. */
export async function prepareDatabase(db: Db): Promise<void> {
  await ensureIndexes(db);
  await ensureEvolutionIndexes(db);
  await ensureFolderSyncIndexes(db);
  await ensurePredictionIndexes(db);
  await ensureRunStepIndexes(db);
  await migrateLegacySettings(db);
}

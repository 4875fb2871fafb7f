import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { getVersion } from '../store/evolutionStore';

/** A stored version an evolution step needs; its absence is final (retrying cannot make it appear). */
export async function requireVersion(db: Db, component: string, version: string) {
  const doc = await getVersion(db, component, version);
  if (!doc)
    throw ApplicationFailure.create({
      message: `${component} has no version ${version}`,
      type: 'UnknownVersion',
      nonRetryable: true,
    });
  return doc;
}

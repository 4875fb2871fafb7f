import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from '../api/graphql/schema';

/** Writes api/schema.graphql (committed, so schema changes show in review; a test checks it is current). */
export const SCHEMA_FILE = path.resolve(__dirname, '..', 'api', 'schema.graphql');

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, `${printSchema(schema)}\n`);
  console.log(`wrote ${SCHEMA_FILE}`);
}

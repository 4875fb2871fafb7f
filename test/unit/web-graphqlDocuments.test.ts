import { parse, validate } from 'graphql';
import { schema } from '../../api/graphql/schema';
import * as chatDocuments from '../../web/src/api/documents';
import * as evolutionDocuments from '../../web/src/api/evolutionDocuments';
import * as generationDocuments from '../../web/src/api/generationDocuments';
import * as teachingDocuments from '../../web/src/api/teachingDocuments';

/** Every operation the console sends must be valid against the served schema (a renamed field fails here, not in the browser). */
const operations = Object.entries<unknown>({
  ...chatDocuments,
  ...evolutionDocuments,
  ...generationDocuments,
  ...teachingDocuments,
}).filter(
  (entry): entry is [string, string] => typeof entry[1] === 'string' && /^(query|mutation|subscription)\b/.test(entry[1]),
);

describe("the console's GraphQL documents", () => {
  it('are found', () => expect(operations.length).toBeGreaterThan(20));
  it.each(operations)('%s is valid against the schema', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});

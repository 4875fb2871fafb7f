import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { DB_BACKENDS, dbBackendFrom, type DbBackend } from '../../scripts/lib/embeddedDatabase';
import { stopAll, type ManagedProcess } from '../../scripts/lib/processes';
import { startDatabase, uniqueDbName } from '../../harness/servers';

/**
 * MongoDB's single-document guarantees, checked with the official driver on the database the
 * suite runs against (MONGODB_URL: the embedded backend EVOSCOPE_DB_BACKEND chose, or a real
 * MongoDB) and on the other embedded backend, started here. Upstream FerretDB v1 breaks all but
 * the unique inserts; tools/ferretdb/atomic-writes.patch is what makes them hold.
 */
const suiteBackend = dbBackendFrom(process.env);
const otherBackend = DB_BACKENDS.find((b) => b !== suiteBackend)!;
const clients = new Map<string, MongoClient>();
const started: ManagedProcess[] = [];
let tmpDir: string;

beforeAll(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-conformance-'));
  fs.chmodSync(tmpDir, 0o755); // PostgreSQL may run as another user (embeddedDatabase.ts)
  clients.set(suiteBackend, await MongoClient.connect(process.env.MONGODB_URL!));
  const otherDir = path.join(tmpDir, otherBackend);
  fs.mkdirSync(otherDir, { mode: 0o755 });
  const other = await startDatabase(otherDir, started, true, otherBackend);
  clients.set(otherBackend, await MongoClient.connect(other.url));
});

afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
  await stopAll(started, 5000);
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

interface Counted {
  _id: string | number;
  n?: number;
  rev?: number;
  writers?: number[];
  writer?: number;
  key?: string;
  field0?: boolean;
  field1?: boolean;
}

function collection(backend: DbBackend, name: string): Collection<Counted> {
  return clients.get(backend)!.db(uniqueDbName('conformance')).collection<Counted>(name);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs every call at once; resolves to each call's outcome. */
const allAtOnce = <T>(n: number, call: (i: number) => Promise<T>) => Promise.allSettled(range(n).map(call));

describe.each(DB_BACKENDS)('on %s', (backend) => {
  test('two concurrent $set of different fields both land, in each of 50 rounds', async () => {
    const docs = collection(backend, 'sets');
    let lostRounds = 0;
    for (const round of range(50)) {
      await docs.insertOne({ _id: round });
      await Promise.all([{ field0: true }, { field1: true }].map((field) => docs.updateOne({ _id: round }, { $set: field })));
      const doc = await docs.findOne({ _id: round });
      if (doc?.field0 !== true || doc?.field1 !== true) lostRounds++;
    }
    expect({ lostRounds }).toEqual({ lostRounds: 0 });
  });

  test('1,000 concurrent $inc of one field add up to 1,000', async () => {
    const docs = collection(backend, 'increments');
    await docs.insertOne({ _id: 'counter', n: 0 });
    await Promise.all(range(1000).map(() => docs.updateOne({ _id: 'counter' }, { $inc: { n: 1 } })));
    expect(await docs.findOne({ _id: 'counter' })).toEqual({ _id: 'counter', n: 1000 });
  });

  test('10 compare-and-set writers: as many successes as revisions', async () => {
    const docs = collection(backend, 'revisions');
    await docs.insertOne({ _id: 'doc', rev: 0 });
    let successes = 0;
    await Promise.all(
      range(10).map(async () => {
        for (let attempt = 0; attempt < 10; attempt++) {
          const { rev } = (await docs.findOne({ _id: 'doc' }))!;
          const result = await docs.updateOne({ _id: 'doc', rev }, { $set: { rev: rev! + 1 } });
          successes += result.modifiedCount;
        }
      }),
    );
    const { rev } = (await docs.findOne({ _id: 'doc' }))!;
    expect({ successes }).toEqual({ successes: rev });
    expect(rev).toBeGreaterThan(0);
  });

  test('concurrent inserts of one _id, or of one key under a unique index, have exactly one winner', async () => {
    const docs = collection(backend, 'unique');
    const byId = await allAtOnce(10, (i) => docs.insertOne({ _id: 'once', writer: i }));
    await docs.createIndex({ key: 1 }, { unique: true });
    const byKey = await allAtOnce(10, (i) => docs.insertOne({ _id: `writer${i}`, key: 'shared' }));
    for (const outcomes of [byId, byKey]) {
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as MongoServerError).code).toBe(11000);
    }
    expect(await docs.countDocuments({ key: 'shared' })).toBe(1);
  });

  test('findOneAndUpdate returns the document it wrote, under 100 concurrent upserts', async () => {
    const docs = collection(backend, 'returned');
    const returned = await Promise.all(
      range(100).map((i) =>
        docs.findOneAndUpdate(
          { _id: 'shared' },
          { $inc: { n: 1 }, $push: { writers: i } },
          { upsert: true, returnDocument: 'after' },
        ),
      ),
    );
    // Each call's document holds its own write and exactly the writes before it.
    returned.forEach((doc, i) => {
      expect(doc?.writers).toContain(i);
      expect(doc?.writers).toHaveLength(doc!.n!);
    });
    expect(new Set(returned.map((doc) => doc?.n))).toEqual(new Set(range(100).map((i) => i + 1)));
    expect(await docs.countDocuments({})).toBe(1);
  });
});

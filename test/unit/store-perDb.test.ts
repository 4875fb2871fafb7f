import { MongoClient } from 'mongodb';
import { collections } from '../../store/collections';
import { perDb } from '../../store/perDb';

// No connection is made: a Db handle and its collections are built without one.
const client = new MongoClient('mongodb://127.0.0.1:1');

test('a set is made once per database handle, and apart for another handle', () => {
  let made = 0;
  const names = perDb((db) => ({ db: db.databaseName, n: ++made }));
  const a = client.db('a');
  expect(names(a)).toBe(names(a));
  expect(names(client.db('b'))).toEqual({ db: 'b', n: 2 });
  expect(made).toBe(2);
});

test("the store's collections are the named collections of the handle they were asked for", () => {
  const db = client.db('evoscope-perdb');
  expect(collections(db)).toBe(collections(db));
  expect(collections(db).sessions.collectionName).toBe('sessions');
  expect(collections(db).events.dbName).toBe('evoscope-perdb');
  expect(collections(client.db('other')).events.dbName).toBe('other');
});

import type { Db } from 'mongodb';

/**
 * `make(db)` made once per database handle and kept as long as the handle lives. For the stores'
 * sets of collection handles: the driver builds each Collection with its options resolved, so a
 * set of a dozen made again for every store call was a measurable part of a turn's CPU
 * (bench/profileTurn.ts). A Collection holds no state of its own besides its resolved options.
 */
export function perDb<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = make(db);
      made.set(db, value);
    }
    return value;
  };
}

import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import type { SuiteCase } from '../domain/suite';
import type { TaughtCase } from '../domain/teaching';
import { listTaughtCases } from '../store/teachingStore';
import { type LoadedSuite, loadSuite } from './suite';

/**
 * A component's whole suite as evolution sees it: its file (datasets/suites/, which
 * evolution cannot write) and the cases people taught it from the console (the store), held
 * out as their split says. The hash covers both, so a new lesson is a new suite revision: the
 * predictions re-run it and an experiment records which revision judged it.
 */
function withTaughtCases(file: LoadedSuite | null, component: string, taught: readonly TaughtCase[]): LoadedSuite | null {
  if (!taught.length) return file;
  const cases: SuiteCase[] = taught.map((t) => ({ id: t.id, input: t.input, expect: t.expect, holdout: t.split === 'held_out' }));
  const hash = createHash('sha256')
    .update(file?.hash ?? '')
    .update(JSON.stringify(cases))
    .digest('hex');
  return {
    component,
    description: file?.description ?? `Cases taught from the console for ${component}.`,
    with_corpus: file?.with_corpus ?? false,
    name: file?.name ?? `${component}.json`,
    cases: [...(file?.cases ?? []), ...cases],
    hash,
  };
}

/** The suite file plus the taught cases of `component` (null when it has neither), and those taught cases as read. */
export async function loadComponentSuiteAndTaught(
  db: Db,
  suitesDir: string,
  component: string,
): Promise<{ suite: LoadedSuite | null; taught: TaughtCase[] }> {
  const [file, taught] = await Promise.all([loadSuite(suitesDir, component), listTaughtCases(db, component)]);
  return { suite: withTaughtCases(file, component, taught), taught };
}

/** The suite file plus the taught cases of `component`, or null when it has neither. */
export async function loadComponentSuite(db: Db, suitesDir: string, component: string): Promise<LoadedSuite | null> {
  return (await loadComponentSuiteAndTaught(db, suitesDir, component)).suite;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SuiteRun } from '../../domain/evolution';
import type { Tunable } from '../../domain/manifest';
import type { SuiteCase } from '../../domain/suite';
import { loadSuite, type LoadedSuite } from '../../evaluation/suite';
import { runSuiteCases } from '../../activities/suiteRunner';
import type { CorpusDocument } from '../../registry/corpus';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { loadBenchSet, ROOT } from './pinned';

/** A component the bench evolves: its shipped file, its suite, its benchmark set and a detuned start. */
export interface SubjectSpec {
  component: string;
  file: string;
  /** What the benchmark set's mean score measures. */
  measures: string;
  /** A plausible bad setting of the tunables, and the story that makes it plausible. */
  detuned: { params: Record<string, number>; why: string };
}

export const SUBJECTS: SubjectSpec[] = [
  {
    component: 'docs_retriever',
    file: 'components/rag/docs_retriever.js',
    measures: 'retrieval: mean 1/rank of the answering section (0 when missing)',
    detuned: {
      params: { chunk_size: 400, chunk_overlap: 0, k1: 2.5, b: 0, top_k: 1 },
      why: 'big chunks, no length normalisation, one result (the issue 11 retriever)',
    },
  },
  {
    component: 'intent_analyser',
    file: 'components/agent/intent_analyser.js',
    measures: 'intent accuracy, graded: share of each expected reading (intent, tool, entities; per request) right',
    detuned: {
      params: { docs_threshold: 2.5, long_threshold: 2.5 },
      why: 'thresholds raised to stop chat being read as docs questions: most docs questions and long-form requests become chitchat',
    },
  },
  {
    component: 'planner',
    file: 'components/chain/planner.js',
    measures: 'plan accuracy, graded: share of each expected plan (steps, tools, arguments), repaired step or decision right',
    detuned: {
      params: {
        max_plan_steps: 1,
        max_replans: 0,
        repair_thousands_separator: 0,
        repair_decimal_comma: 0,
        repair_times_sign: 0,
        repair_words: 0,
        repair_unit_words: 0,
      },
      why: 'a cautious planner: one step per plan, no re-plan, no repairs',
    },
  },
];

export interface Subject extends SubjectSpec {
  code: string;
  tunables: Record<string, Tunable>;
  suite: LoadedSuite;
  benchSet: LoadedSuite;
  train: SuiteCase[];
  holdout: SuiteCase[];
  /** Runs code over cases of the suite, or over the benchmark set (corpus handed in when the set asks). */
  run(code: string, cases: SuiteCase[] | 'bench'): Promise<SuiteRun>;
}

export async function loadSubject(spec: SubjectSpec, corpus: CorpusDocument[]): Promise<Subject> {
  const code = readFileSync(path.join(ROOT, spec.file), 'utf8');
  const manifest = await readComponentManifest(code);
  const suite = await loadSuite(path.join(ROOT, 'datasets', 'suites'), spec.component);
  if (!suite) throw new Error(`${spec.component} has no suite`);
  const benchSet = loadBenchSet(spec.component);
  return {
    ...spec,
    code,
    tunables: manifest.tunables ?? {},
    suite,
    benchSet,
    train: suite.cases.filter((c) => !c.holdout),
    holdout: suite.cases.filter((c) => c.holdout),
    run: (candidate, cases) =>
      runSuiteCases({
        code: candidate,
        component: spec.component,
        version: 'bench',
        suite: cases === 'bench' ? benchSet : suite,
        cases: cases === 'bench' ? benchSet.cases : cases,
        repetitions: 1,
        corpus,
      }),
  };
}

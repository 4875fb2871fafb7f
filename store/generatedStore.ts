import type { Db } from 'mongodb';
import type { AcceptedCase, GeneratedTestRun, GenerationOutcome, PromptedBy } from '../domain/generation';
import { insertOnce } from './collections';

/**
 * Generated tools. Every record is written once, keyed by the generation id (insert-only,
 * so racing writers and activity retries cannot lose or double anything on FerretDB): the
 * draft, the person's acceptance of its suite, and the final decision.
 */
export interface GeneratedDraftDoc {
  _id: string; // the generation id
  request: string;
  examples: string[];
  prompted_by: PromptedBy;
  model: string | null;
  /** null when the model's reply could not become a draft; then `refusal` says why. */
  name: string | null;
  version: string | null;
  code: string | null;
  proposed_suite: AcceptedCase[] | null;
  /** The draft run in the sandbox on its own proposed suite. */
  proposed_run: GeneratedTestRun | null;
  refusal: string | null;
  created_at: string;
}

export interface SuiteAcceptanceDoc {
  _id: string; // the generation id
  accepted_by: string;
  /** As accepted: the proposed suite, or the person's edit of it. */
  cases: AcceptedCase[];
  edited: boolean;
  /** The draft run in the sandbox on the accepted suite. */
  run: GeneratedTestRun;
  at: string;
}

export interface GeneratedDecisionDoc {
  _id: string; // the generation id
  outcome: GenerationOutcome;
  reason: string;
  decided_by: string;
  at: string;
}

const collections = (db: Db) => ({
  drafts: db.collection<GeneratedDraftDoc>('generated_tools'),
  acceptances: db.collection<SuiteAcceptanceDoc>('generated_suite_acceptances'),
  decisions: db.collection<GeneratedDecisionDoc>('generated_tool_decisions'),
});

export const insertGeneratedDraft = (db: Db, doc: GeneratedDraftDoc) => insertOnce(collections(db).drafts, doc);
export const insertSuiteAcceptance = (db: Db, doc: SuiteAcceptanceDoc) => insertOnce(collections(db).acceptances, doc);
export const insertGeneratedDecision = (db: Db, doc: GeneratedDecisionDoc) => insertOnce(collections(db).decisions, doc);

export const getGeneratedDraft = (db: Db, id: string) => collections(db).drafts.findOne({ _id: id });
export const getSuiteAcceptance = (db: Db, id: string) => collections(db).acceptances.findOne({ _id: id });
export const getGeneratedDecision = (db: Db, id: string) => collections(db).decisions.findOne({ _id: id });

/** Newest first; three small collections, read whole (they grow by one record per request). */
export async function listGeneratedTools(db: Db) {
  const { drafts, acceptances, decisions } = collections(db);
  const [d, a, x] = await Promise.all([drafts.find().toArray(), acceptances.find().toArray(), decisions.find().toArray()]);
  const acceptanceOf = new Map(a.map((doc) => [doc._id, doc]));
  const decisionOf = new Map(x.map((doc) => [doc._id, doc]));
  return d
    .sort((p, q) => q.created_at.localeCompare(p.created_at))
    .map((draft) => ({ draft, acceptance: acceptanceOf.get(draft._id) ?? null, decision: decisionOf.get(draft._id) ?? null }));
}

import type { Db } from 'mongodb';
import type { ListPage } from '../domain/listPage';
import type { GeneratedDecision, GeneratedDraft, SuiteAcceptance } from '../domain/generation';
import { insertOnce } from './collections';
import { newestFirstPage } from './newestFirstPage';
import { decodeFields, decodeFound } from './documentCodec';
import { perDb } from './perDb';

/**
 * Generated tools. Every record is written once, keyed by the generation id (insert-only,
 * so racing writers and activity retries cannot lose or double anything on FerretDB): the
 * draft, the person's acceptance of its suite, and the final decision.
 */
export type GeneratedDraftDoc = GeneratedDraft & { _id: string }; // the generation id
export type SuiteAcceptanceDoc = SuiteAcceptance & { _id: string }; // the generation id
export type GeneratedDecisionDoc = GeneratedDecision & { _id: string }; // the generation id

const collections = perDb((db: Db) => ({
  drafts: db.collection<GeneratedDraftDoc>('generated_tools'),
  acceptances: db.collection<SuiteAcceptanceDoc>('generated_suite_acceptances'),
  decisions: db.collection<GeneratedDecisionDoc>('generated_tool_decisions'),
}));

export const insertGeneratedDraft = (db: Db, doc: GeneratedDraftDoc) => insertOnce(collections(db).drafts, doc);
export const insertSuiteAcceptance = (db: Db, doc: SuiteAcceptanceDoc) => insertOnce(collections(db).acceptances, doc);
export const insertGeneratedDecision = (db: Db, doc: GeneratedDecisionDoc) => insertOnce(collections(db).decisions, doc);

export const getGeneratedDraft = async (db: Db, id: string) => decodeFound(await collections(db).drafts.findOne({ _id: id }));
export const getSuiteAcceptance = async (db: Db, id: string) =>
  decodeFound(await collections(db).acceptances.findOne({ _id: id }));
export const getGeneratedDecision = async (db: Db, id: string) =>
  decodeFound(await collections(db).decisions.findOne({ _id: id }));

/**
 * A page of the generated tools, newest first, with each one's acceptance and decision (read by
 * the page's ids); null when `page.after` names no generation.
 */
export async function listGeneratedTools(db: Db, page: ListPage) {
  const { drafts, acceptances, decisions } = collections(db);
  const found = await newestFirstPage(drafts, page);
  if (found === null) return null;
  const ofPage = { _id: { $in: found.map((d) => d._id) } };
  const [a, x] = await Promise.all([acceptances.find(ofPage).toArray(), decisions.find(ofPage).toArray()]);
  const acceptanceOf = new Map(a.map((doc) => [doc._id, decodeFields(doc)]));
  const decisionOf = new Map(x.map((doc) => [doc._id, decodeFields(doc)]));
  return found
    .map(decodeFields)
    .map((draft) => ({ draft, acceptance: acceptanceOf.get(draft._id) ?? null, decision: decisionOf.get(draft._id) ?? null }));
}

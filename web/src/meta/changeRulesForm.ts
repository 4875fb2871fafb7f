/**
 * The change-rules editor's form model: every rule as text, parsed back and
 * validated with the shared zod schema (domain/evolution.ts), so the console
 * refuses exactly what the API would. Pure; unit-tested in
 * test/unit/web-changeRulesForm.test.ts.
 */
import { ChangeRules } from '../../../domain/evolution';

export type RuleKey = keyof ChangeRules;
export type RulesDraft = Record<RuleKey, string>;

export interface RuleField {
  key: RuleKey;
  label: string;
  kind: 'number' | 'list' | 'boolean';
  hint: string;
}
export const RULE_FIELDS: RuleField[] = [
  {
    key: 'min_improvement',
    label: 'Minimum improvement',
    kind: 'number',
    hint: 'Smallest mean score gain (0–1) a winner needs.',
  },
  {
    key: 'protected_components',
    label: 'Protected components',
    kind: 'list',
    hint: 'Never promoted without a person, at any level.',
  },
  { key: 'critical_components', label: 'Critical components', kind: 'list', hint: 'Wait for a person at semi-auto.' },
  {
    key: 'rewrites_are_critical',
    label: 'Code rewrites are critical',
    kind: 'boolean',
    hint: 'A model-written rewrite waits for a person at semi-auto.',
  },
  {
    key: 'must_pass_cases',
    label: 'Must-pass cases',
    kind: 'list',
    hint: 'component:case_id (or case_id) a candidate must pass.',
  },
  {
    key: 'max_auto_promotions_per_hour',
    label: 'Automatic promotions / hour',
    kind: 'number',
    hint: 'Beyond this a person decides.',
  },
  {
    key: 'approval_timeout_minutes',
    label: 'Approval timeout (min)',
    kind: 'number',
    hint: 'An undecided experiment expires after this.',
  },
  {
    key: 'watch_window_minutes',
    label: 'Watch window (min)',
    kind: 'number',
    hint: 'After a promotion, live errors and latency are watched this long.',
  },
  { key: 'watch_check_interval_minutes', label: 'Watch check every (min)', kind: 'number', hint: 'How often the watch looks.' },
  {
    key: 'max_error_rate_increase',
    label: 'Max error-rate rise',
    kind: 'number',
    hint: 'Absolute (0–1); beyond it the change is rolled back.',
  },
  {
    key: 'max_latency_increase_ratio',
    label: 'Max latency rise (ratio)',
    kind: 'number',
    hint: '0.5 = +50 %; beyond it the change is rolled back.',
  },
  {
    key: 'min_watch_samples',
    label: 'Min live runs to judge',
    kind: 'number',
    hint: 'The watch judges nothing before this many runs.',
  },
];

export function draftOf(rules: ChangeRules): RulesDraft {
  const out = {} as RulesDraft;
  for (const f of RULE_FIELDS) {
    const v = rules[f.key];
    out[f.key] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function parseField(f: RuleField, text: string): unknown {
  if (f.kind === 'boolean') return text === 'true';
  if (f.kind === 'list')
    return text
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  return text.trim() === '' ? Number.NaN : Number(text);
}

export type DraftResult =
  { ok: true; patch: Partial<ChangeRules>; rules: ChangeRules } | { ok: false; errors: Partial<Record<RuleKey, string>> };

/** The changed rules as a patch, or the reasons per field why they cannot be saved. */
export function validateDraft(draft: RulesDraft, saved: ChangeRules): DraftResult {
  const candidate: Record<string, unknown> = { ...saved };
  const errors: Partial<Record<RuleKey, string>> = {};
  for (const f of RULE_FIELDS) {
    const value = parseField(f, draft[f.key]);
    if (f.kind === 'number' && !Number.isFinite(value as number)) errors[f.key] = 'a number is needed';
    candidate[f.key] = value;
  }
  const parsed = ChangeRules.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as RuleKey;
      if (!errors[key]) errors[key] = issue.message.replace(/^Too (small|big): expected number to be /, 'must be ');
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  const patch: Partial<ChangeRules> = {};
  for (const f of RULE_FIELDS) {
    if (JSON.stringify(parsed.data[f.key]) !== JSON.stringify(saved[f.key]))
      (patch as Record<string, unknown>)[f.key] = parsed.data[f.key];
  }
  return { ok: true, patch, rules: parsed.data };
}

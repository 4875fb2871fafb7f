/** One line of plain words per meta event, for the system-wide timeline. Pure. */
import type { MetaEventView } from '../api/evolutionDocuments';
import { taughtCasesLabel } from '../teaching/taughtCaseLabels';

export const TIMELINE_TYPES = new Set([
  'component_generated',
  'component_modified',
  'component_file_skipped',
  'version_promoted',
  'version_rolled_back',
  'experiment_started',
  'learning_iteration',
  'experiment_decided',
  'autonomy_level_changed',
  'change_rules_updated',
  'schedule_updated',
  'answer_marked',
]);

const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 8) : '—');

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  text: string;
  component: string | null;
  version: string | null;
  experimentId: string | null;
  tone: 'good' | 'bad' | 'warn' | 'info';
}

export function describeMetaEvent(e: MetaEventView): TimelineEntry {
  const d = e.data as Record<string, unknown>;
  const component = typeof d.component === 'string' ? d.component : null;
  const experimentId = typeof d.experiment_id === 'string' ? d.experiment_id : null;
  const base = {
    seq: e.seq,
    at: e.created_at,
    type: e.type,
    component,
    experimentId,
    version: typeof d.version === 'string' ? d.version : null,
  };
  switch (e.type) {
    case 'component_generated':
      return { ...base, tone: 'info', text: `${component} appeared (version ${short(d.version)})` };
    case 'component_modified': {
      const by = (d.created_by as { kind?: string } | undefined)?.kind;
      return {
        ...base,
        tone: 'info',
        text: `${component}: new version ${short(d.version)}${d.previous_version ? ` from ${short(d.previous_version)}` : ''}${by ? ` (${by.replace('_', ' ')})` : ''}`,
      };
    }
    case 'component_file_skipped':
      return { ...base, tone: 'bad', text: `${String(d.file_path)} skipped — ${String(d.reason)}` };
    case 'version_promoted':
      return {
        ...base,
        tone: 'good',
        text: `${component}: ${short(d.version)} promoted to current${d.decided_by ? ` by ${String(d.decided_by)}` : ''}`,
      };
    case 'version_rolled_back':
      return {
        ...base,
        tone: 'warn',
        text: `${component}: rolled back ${short(d.from_version)} → ${short(d.version)}${d.automatic ? ' (automatic)' : ''} — ${String(d.reason ?? '')}`,
      };
    case 'experiment_started':
      return {
        ...base,
        tone: 'info',
        version: typeof d.version_b === 'string' ? d.version_b : null,
        text: `${component}: experiment ${short(d.version_a)} vs ${short(d.version_b)} started${d.goal ? ` — ${String(d.goal)}` : ''}`,
      };
    case 'learning_iteration': {
      const verdict =
        d.verdict === 'b_better'
          ? 'the candidate won'
          : d.verdict === 'a_better'
            ? 'the current version won'
            : 'no significant difference';
      return {
        ...base,
        tone: d.verdict === 'b_better' ? 'good' : 'info',
        version: typeof d.version_b === 'string' ? d.version_b : null,
        text: `${component}: verdict — ${verdict}`,
      };
    }
    case 'experiment_decided': {
      const tone =
        d.outcome === 'promoted'
          ? 'good'
          : d.outcome === 'pending'
            ? 'warn'
            : d.outcome === 'rejected' || d.outcome === 'expired'
              ? 'bad'
              : 'info';
      const what = d.outcome === 'pending' ? 'waits for approval' : String(d.outcome).replace('_', ' ');
      return { ...base, tone, text: `${component}: ${what} — ${String(d.reason ?? '')}` };
    }
    case 'autonomy_level_changed':
      return { ...base, tone: 'info', text: `autonomy level set to ${String(d.level)}` };
    case 'change_rules_updated':
      return { ...base, tone: 'info', text: 'change rules updated' };
    case 'schedule_updated':
      return {
        ...base,
        tone: 'info',
        text: d.enabled ? `evolution sweep every ${String(d.interval_minutes)} min` : 'evolution sweep turned off',
      };
    case 'prediction_settled':
      if (typeof d.failure === 'string')
        return { ...base, tone: 'bad', text: `${component ?? 'a component'}: prediction not carried out: ${d.failure}` };
      return {
        ...base,
        tone: 'info',
        text: `${component ?? 'a component'}: prediction carried out${typeof d.actual_improvement === 'number' ? ` (actual ${d.actual_improvement >= 0 ? '+' : ''}${d.actual_improvement.toFixed(3)})` : ''}`,
      };
    case 'answer_marked': {
      const cases = Array.isArray(d.cases) ? (d.cases as { component: string; split: string }[]) : [];
      const taught = taughtCasesLabel(cases);
      return {
        ...base,
        tone: 'info',
        text: d.verdict === 'right' ? 'an answer was marked right' : `an answer was marked wrong: taught ${taught}`,
      };
    }
    default:
      return { ...base, tone: 'info', text: e.type.replace(/_/g, ' ') };
  }
}

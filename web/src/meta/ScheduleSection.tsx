/** The evolution sweep's schedule: on/off, interval, and when the next sweep starts. */
import { useEffect, useState } from 'react';
import { useOnChange } from '../state/useOnChange';
import { useMutation } from 'urql';
import {
  EVOLUTION_SCHEDULE_QUERY,
  RUN_EVOLUTION_SWEEP,
  UPDATE_EVOLUTION_SCHEDULE,
  type EvolutionScheduleResult,
  type RunEvolutionSweepResult,
  type UpdateEvolutionScheduleResult,
} from '../api/evolutionDocuments';
import { useMetaRefreshedQuery } from '../state/useMetaStream';

function inWords(iso: string | null, now: number): string {
  if (!iso) return '—';
  const ms = new Date(iso).getTime() - now;
  const at = new Date(iso).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit' });
  if (ms <= 0) return `${at} (due)`;
  const min = Math.round(ms / 60_000);
  return `${at} (in ${min < 1 ? '<1' : min} min)`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a finished sweep did, in words: at manual it only predicts. */
function sweepOutcome({ predictions, started, level }: RunEvolutionSweepResult['run_evolution_sweep']): string {
  const done = `Sweep done: ${plural(predictions, 'prediction')}`;
  if (started.length) return `${done}, started ${plural(started.length, 'experiment')}.`;
  return level === 'manual' ? `${done}; at manual no experiment is started.` : `${done}, no experiment to start.`;
}

export function ScheduleSection() {
  const [{ data, error }] = useMetaRefreshedQuery<EvolutionScheduleResult>(EVOLUTION_SCHEDULE_QUERY, 'schedule_updated');
  const [saveState, save] = useMutation<UpdateEvolutionScheduleResult>(UPDATE_EVOLUTION_SCHEDULE);
  const [runState, runNow] = useMutation<RunEvolutionSweepResult>(RUN_EVOLUTION_SWEEP);
  const schedule = saveState.data?.update_evolution_schedule ?? data?.evolution_schedule ?? null;
  const [interval, setInterval_] = useState(() => (schedule ? String(schedule.interval_minutes) : ''));
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  useOnChange(schedule?.interval_minutes, (minutes) => {
    if (minutes !== undefined) setInterval_(String(minutes));
  });
  const minutes = Number(interval);
  const valid = Number.isFinite(minutes) && minutes >= 1 && minutes <= 10080;
  const apply = (enabled: boolean) => void save({ input: { enabled, interval_minutes: valid ? minutes : undefined } });
  return (
    <section className="meta-section" aria-labelledby="schedule-heading" data-testid="schedule">
      <h3 id="schedule-heading">Evolution schedule</h3>
      {error ? <div className="inline-error">{error.message}</div> : null}
      <div className="schedule-row">
        <label className="field-check">
          <input
            type="checkbox"
            checked={schedule?.enabled ?? false}
            disabled={!schedule || saveState.fetching}
            onChange={(e) => apply(e.target.checked)}
            name="schedule_enabled"
          />
          <span>Sweep automatically</span>
        </label>
      </div>
      <div className="schedule-row">
        <span className="small muted">every</span>
        <input
          className={`input input-sm schedule-interval${valid ? '' : ' is-invalid'}`}
          value={interval}
          onChange={(e) => setInterval_(e.target.value)}
          inputMode="numeric"
          aria-label="Interval in minutes"
        />
        <span className="small muted">min</span>
        <button
          type="button"
          className="btn btn-sm"
          disabled={!valid || !schedule || Number(interval) === schedule.interval_minutes || saveState.fetching}
          onClick={() => apply(schedule?.enabled ?? false)}
        >
          Set
        </button>
      </div>
      {!valid ? <div className="field-error">1 to 10080 minutes</div> : null}
      <div className="small muted" data-testid="next-sweep">
        {schedule?.enabled ? (
          <>Next sweep: {inWords(schedule.next_run_at, now)}</>
        ) : (
          'Off: evolution runs only when you start it.'
        )}
        {schedule?.last_run_at ? <> · last {new Date(schedule.last_run_at).toLocaleTimeString([], { hour12: false })}</> : null}
      </div>
      {saveState.error ? (
        <div className="inline-error">{saveState.error.graphQLErrors[0]?.message ?? saveState.error.message}</div>
      ) : null}
      <div className="schedule-row">
        <button type="button" className="btn btn-sm" disabled={runState.fetching} onClick={() => void runNow({})}>
          Run sweep now
        </button>
      </div>
      <div className="small muted" data-testid="sweep-outcome" role="status">
        {runState.fetching ? 'Sweep started…' : runState.data ? sweepOutcome(runState.data.run_evolution_sweep) : null}
      </div>
      {runState.error ? (
        <div className="inline-error">{runState.error.graphQLErrors[0]?.message ?? runState.error.message}</div>
      ) : null}
    </section>
  );
}

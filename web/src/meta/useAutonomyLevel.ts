/** The autonomy setting: its levels as the console names and explains them, and the hook that reads and sets it. */
import { useMutation, useQuery } from 'urql';
import type { AutonomyLevel } from '../../../domain/enums';
import {
  AUTONOMY_LEVEL_QUERY,
  SET_AUTONOMY_LEVEL,
  type AutonomyLevelResult,
  type SetAutonomyLevelResult,
} from '../api/documents';

export const AUTONOMY_LEVELS: { level: AutonomyLevel; name: string; hint: string }[] = [
  { level: 'manual', name: 'Manual', hint: 'The system only predicts; you start every experiment and approve every change.' },
  { level: 'assisted', name: 'Assisted', hint: 'The system proposes predictions and experiments; you decide.' },
  { level: 'semi_auto', name: 'Semi-auto', hint: 'Promotes winning changes itself; critical and protected ones wait for you.' },
  { level: 'full', name: 'Full', hint: 'Promotes winning changes itself (protected ones still wait).' },
];

export function useAutonomyLevel() {
  const [{ data, error }] = useQuery<AutonomyLevelResult>({ query: AUTONOMY_LEVEL_QUERY });
  const [setState, setLevel] = useMutation<SetAutonomyLevelResult>(SET_AUTONOMY_LEVEL);
  const level = setState.data?.set_autonomy_level ?? data?.autonomy_level ?? null;
  return {
    level,
    error: setState.error?.message ?? error?.message ?? null,
    saving: setState.fetching,
    set: (l: AutonomyLevel) => setLevel({ level: l }),
  };
}

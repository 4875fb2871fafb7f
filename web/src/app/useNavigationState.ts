/** Which tab the visualisation panel shows and what the cross-links asked it to show (layout/navigation.ts's Navigation). */
import { useMemo, useState } from 'react';
import type { DiffTarget, Navigation, VersionRef, VizTab } from '../layout/navigation';

export function useNavigationState(): Navigation {
  const [tab, setTab] = useState<VizTab>('execution');
  const [diff, setDiff] = useState<DiffTarget | null>(null);
  const [experimentId, setExperimentId] = useState<string | null>(null);
  const [generationId, setGenerationId] = useState<string | null>(null);
  const [focusVersion, setFocusVersion] = useState<(VersionRef & { serial: number }) | null>(null);
  return useMemo<Navigation>(
    () => ({
      tab,
      setTab,
      diff,
      experimentId,
      generationId,
      focusVersion,
      openDiff: (target) => {
        setDiff(target);
        setTab('diff');
      },
      openExperiment: (id) => {
        setExperimentId(id);
        setGenerationId(null);
        setTab('sandbox');
      },
      openGeneration: (id) => {
        setGenerationId(id);
        setExperimentId(null);
        setTab('sandbox');
      },
      showVersion: (ref) => {
        setFocusVersion((f) => ({ ...ref, serial: (f?.serial ?? 0) + 1 }));
        setTab('evolution');
      },
      versionShown: (serial) => setFocusVersion((f) => (f && f.serial === serial ? null : f)),
    }),
    [tab, diff, experimentId, generationId, focusVersion],
  );
}

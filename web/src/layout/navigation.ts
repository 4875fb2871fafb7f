import { createContext, useContext } from 'react';

/** The visualisation panel's tabs and the cross-links between them (graph → diff, prediction → experiment …). */
export type VizTab = 'execution' | 'evolution' | 'sandbox' | 'diff' | 'trends';
export interface DiffTarget {
  component: string;
  a: string;
  b: string;
}
export interface VersionRef {
  component: string;
  version: string;
}

export interface Navigation {
  tab: VizTab;
  setTab(tab: VizTab): void;
  diff: DiffTarget | null;
  openDiff(target: DiffTarget): void;
  /** null: the experiments list. */
  experimentId: string | null;
  openExperiment(id: string | null): void;
  /** A generated tool's page (in the sandbox tab, instead of an experiment's); null: the experiments list. */
  generationId: string | null;
  openGeneration(id: string | null): void;
  /** A version to select and bring into view in the evolution graph. */
  focusVersion: (VersionRef & { serial: number }) | null;
  showVersion(ref: VersionRef): void;
  /** The evolution graph has shown it: a later return to the tab keeps the user's own view. */
  versionShown(serial: number): void;
}

export const NavigationContext = createContext<Navigation | null>(null);
export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation outside NavigationContext');
  return nav;
}

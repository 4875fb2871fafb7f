/** Which sessions are open as tabs, and which one is active; remembered across reloads. */
import { useCallback, useEffect, useState } from 'react';
import { useOnChange } from '../state/useOnChange';

const STORAGE_KEY = 'evoscope.tabs.v1';
interface TabsState {
  open: string[];
  active: string | null;
}

function load(): TabsState {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<TabsState> | null;
    if (parsed && Array.isArray(parsed.open)) {
      const open = parsed.open.filter((id): id is string => typeof id === 'string');
      return {
        open,
        active: typeof parsed.active === 'string' && open.includes(parsed.active) ? parsed.active : (open[0] ?? null),
      };
    }
  } catch {
    // ignore unreadable state
  }
  return { open: [], active: null };
}

export function useOpenTabs(knownSessionIds: string[] | null) {
  const [tabs, setTabs] = useState<TabsState>(load);
  useEffect(() => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(tabs));
    } catch {
      // not remembered
    }
  }, [tabs]);

  // Sessions deleted elsewhere close their tabs.
  useOnChange(knownSessionIds?.join(',') ?? null, () => {
    if (!knownSessionIds) return;
    const known = new Set(knownSessionIds);
    setTabs((t) => {
      const open = t.open.filter((id) => known.has(id));
      if (open.length === t.open.length) return t;
      return { open, active: t.active && known.has(t.active) ? t.active : (open[open.length - 1] ?? null) };
    });
  });

  const openTab = useCallback(
    (id: string) => setTabs((t) => ({ open: t.open.includes(id) ? t.open : [...t.open, id], active: id })),
    [],
  );
  const closeTab = useCallback(
    (id: string) =>
      setTabs((t) => {
        const at = t.open.indexOf(id);
        const open = t.open.filter((x) => x !== id);
        const active = t.active === id ? (open[Math.min(at, open.length - 1)] ?? null) : t.active;
        return { open, active };
      }),
    [],
  );
  return { open: tabs.open, active: tabs.active, openTab, closeTab };
}

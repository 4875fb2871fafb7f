/**
 * Widths of the three console panels, in percent of the row, and the pure
 * rules for moving the separators between them.
 */
export type PanelSizes = readonly [chat: number, viz: number, meta: number];

export interface PanelLayoutState {
  sizes: PanelSizes;
  metaCollapsed: boolean;
}

export const DEFAULT_PANEL_LAYOUT: PanelLayoutState = { sizes: [50, 40, 10], metaCollapsed: false };
const STORAGE_KEY = 'evoscope.panels.v1';

/**
 * Moves separator `index` (0: chat|viz, 1: viz|meta) by `delta` percent,
 * keeping both neighbours at or above their minimum; the total is unchanged.
 */
export function moveSeparator(sizes: PanelSizes, index: 0 | 1, delta: number, minimums: PanelSizes): PanelSizes {
  const next = [...sizes] as [number, number, number];
  const left = index;
  const right = index + 1;
  const lo = minimums[left]! - next[left]!;
  const hi = next[right]! - minimums[right]!;
  const clamped = Math.max(Math.min(delta, Math.max(hi, 0)), Math.min(lo, 0));
  next[left]! += clamped;
  next[right]! -= clamped;
  return next.map((v) => Math.round(v * 100) / 100) as unknown as PanelSizes;
}

export function loadPanelLayout(storage: Pick<Storage, 'getItem'> = localStorage): PanelLayoutState {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_PANEL_LAYOUT;
    const parsed = JSON.parse(raw) as Partial<PanelLayoutState>;
    const sizes = parsed.sizes;
    if (!Array.isArray(sizes) || sizes.length !== 3 || sizes.some((v) => typeof v !== 'number' || !(v > 0)))
      return DEFAULT_PANEL_LAYOUT;
    const total = sizes.reduce((a, b) => a + b, 0);
    return {
      sizes: sizes.map((v) => (v / total) * 100) as unknown as PanelSizes,
      metaCollapsed: parsed.metaCollapsed === true,
    };
  } catch {
    return DEFAULT_PANEL_LAYOUT;
  }
}

export function savePanelLayout(state: PanelLayoutState, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: sizes simply are not remembered.
  }
}

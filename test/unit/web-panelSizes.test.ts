import {
  DEFAULT_PANEL_LAYOUT,
  loadPanelLayout,
  moveSeparator,
  savePanelLayout,
  type PanelSizes,
} from '../../web/src/layout/panelSizes';

const MIN: PanelSizes = [25, 20, 10];

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('panel sizes', () => {
  it('moves a separator, keeping the total', () => {
    const next = moveSeparator([50, 40, 10], 0, 5, MIN);
    expect(next).toEqual([55, 35, 10]);
    expect(next.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('stops at either neighbour\u2019s minimum', () => {
    expect(moveSeparator([50, 40, 10], 0, 50, MIN)).toEqual([70, 20, 10]);
    expect(moveSeparator([50, 40, 10], 0, -50, MIN)).toEqual([25, 65, 10]);
    expect(moveSeparator([50, 40, 10], 1, 20, MIN)).toEqual([50, 40, 10]);
    expect(moveSeparator([50, 40, 10], 1, -15, MIN)).toEqual([50, 25, 25]);
  });

  it('remembers sizes and the collapsed meta panel, and ignores broken storage', () => {
    const storage = memoryStorage();
    expect(loadPanelLayout(storage)).toEqual(DEFAULT_PANEL_LAYOUT);
    savePanelLayout({ sizes: [60, 30, 10], metaCollapsed: true }, storage);
    expect(loadPanelLayout(storage)).toEqual({ sizes: [60, 30, 10], metaCollapsed: true });
    storage.setItem('evoscope.panels.v1', '{"sizes":[1,"x",3]}');
    expect(loadPanelLayout(storage)).toEqual(DEFAULT_PANEL_LAYOUT);
    storage.setItem('evoscope.panels.v1', 'not json');
    expect(loadPanelLayout(storage)).toEqual(DEFAULT_PANEL_LAYOUT);
  });
});

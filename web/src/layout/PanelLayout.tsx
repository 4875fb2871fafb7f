/**
 * Three side-by-side panels (chat | execution graph | meta) with separators
 * that can be dragged or moved with the arrow keys. Sizes and the meta
 * panel's collapsed state are remembered in localStorage.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { loadPanelLayout, moveSeparator, savePanelLayout, type PanelLayoutState, type PanelSizes } from './panelSizes';
import './layout.css';

const MIN_PX: PanelSizes = [340, 300, 196];
const COLLAPSED_META_PX = 44;
const SEPARATOR_PX = 5;
const KEY_STEP = 2;
const KEY_STEP_LARGE = 10;

interface Props {
  chat: ReactNode;
  viz: ReactNode;
  meta: ReactNode;
  metaRail: ReactNode;
}

export function PanelLayout({ chat, viz, meta, metaRail }: Props) {
  const [layout, setLayout] = useState<PanelLayoutState>(() => loadPanelLayout());
  const rowRef = useRef<HTMLDivElement>(null);
  const [rowWidth, setRowWidth] = useState(1366);

  useLayoutEffect(() => {
    const el = rowRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setRowWidth(el.clientWidth));
    observer.observe(el);
    setRowWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  useEffect(() => savePanelLayout(layout), [layout]);

  /** Minimum sizes in percent of the space the resizable panels share. */
  const usable = Math.max(1, rowWidth - SEPARATOR_PX * 2);
  const minimums = useMemo<PanelSizes>(
    () => [
      Math.min(45, (MIN_PX[0] / usable) * 100),
      Math.min(45, (MIN_PX[1] / usable) * 100),
      Math.min(30, (MIN_PX[2] / usable) * 100),
    ],
    [usable],
  );

  const move = useCallback(
    (index: 0 | 1, delta: number) => setLayout((l) => ({ ...l, sizes: moveSeparator(l.sizes, index, delta, minimums) })),
    [minimums],
  );
  const toggleMeta = useCallback(() => setLayout((l) => ({ ...l, metaCollapsed: !l.metaCollapsed })), []);

  const drag = useRef<{ index: 0 | 1; startX: number; startSizes: PanelSizes } | null>(null);
  const onPointerDown = (index: 0 | 1) => (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { index, startX: e.clientX, startSizes: layout.sizes };
    document.body.classList.add('is-resizing');
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const delta = ((e.clientX - d.startX) / usable) * 100;
    setLayout((l) => ({ ...l, sizes: moveSeparator(d.startSizes, d.index, delta, minimums) }));
  };
  const onPointerUp = () => {
    drag.current = null;
    document.body.classList.remove('is-resizing');
  };
  const onKeyDown = (index: 0 | 1) => (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    if (e.key === 'ArrowLeft') move(index, -step);
    else if (e.key === 'ArrowRight') move(index, step);
    else if (e.key === 'Home') move(index, -100);
    else if (e.key === 'End') move(index, 100);
    else if (e.key === 'Enter' && index === 1) toggleMeta();
    else return;
    e.preventDefault();
  };

  const [chatSize, vizSize, metaSize] = layout.sizes;
  const collapsed = layout.metaCollapsed;
  const separator = (index: 0 | 1, label: string, controls: string, value: number) => (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={Math.round(value)}
      aria-valuemin={0}
      aria-valuemax={100}
      tabIndex={0}
      className="panel-separator"
      onPointerDown={onPointerDown(index)}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown(index)}
      onDoubleClick={() => setLayout((l) => ({ ...l, sizes: [50, 40, 10] }))}
      title="Drag or use ←/→ (Shift for larger steps). Double-click resets."
    />
  );

  return (
    <div className="panel-row" ref={rowRef}>
      <section id="panel-chat" className="panel panel-chat" aria-label="Chat" style={{ flexGrow: chatSize, minWidth: MIN_PX[0] }}>
        {chat}
      </section>
      {separator(0, 'Resize chat and execution graph', 'panel-chat panel-viz', chatSize)}
      <section
        id="panel-viz"
        className="panel panel-viz"
        aria-label="Execution graph"
        style={{ flexGrow: vizSize, minWidth: MIN_PX[1] }}
      >
        {viz}
      </section>
      {collapsed
        ? null
        : separator(1, 'Resize execution graph and meta panel (Enter collapses)', 'panel-viz panel-meta', chatSize + vizSize)}
      <aside
        id="panel-meta"
        className={`panel panel-meta${collapsed ? ' is-collapsed' : ''}`}
        aria-label="Meta control"
        style={collapsed ? { flex: `0 0 ${COLLAPSED_META_PX}px` } : { flexGrow: metaSize, minWidth: MIN_PX[2] }}
      >
        <button
          type="button"
          className="meta-toggle"
          onClick={toggleMeta}
          aria-expanded={!collapsed}
          aria-controls="panel-meta"
          title={collapsed ? 'Show meta panel' : 'Collapse meta panel'}
        >
          {collapsed ? '«' : '»'}
          <span className="sr-only">{collapsed ? 'Show meta panel' : 'Collapse meta panel'}</span>
        </button>
        {collapsed ? metaRail : meta}
      </aside>
    </div>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { ElementSize } from '../layout/useElementSize';
import type { FlowEdge, FlowModel, FlowNode } from './flowModel';
import type { Rect } from './graphLayout';

export interface DrawerLayout {
  placement: 'side' | 'bottom';
  /** The part of the canvas the open details drawer covers. */
  inset: { right: number; bottom: number };
}

/** Narrow canvases get the details drawer as a bottom sheet, wide ones beside the graph. */
export function drawerLayout(canvas: ElementSize, open: boolean): DrawerLayout {
  const placement = canvas.width < 700 ? 'bottom' : 'side';
  if (!open) return { placement, inset: { right: 0, bottom: 0 } };
  return placement === 'side'
    ? { placement, inset: { right: Math.min(400, canvas.width * 0.92), bottom: 0 } }
    : { placement, inset: { right: 0, bottom: canvas.height * 0.56 } };
}

export interface Viewport {
  /** Keep the newest turn in view. */
  follow: boolean;
  setFollow(follow: boolean | ((f: boolean) => boolean)): void;
  /** Centre `rect` (`whole`: all of it; otherwise its width and newest part) in the canvas the drawer leaves free. */
  zoomToRect(rect: Rect, duration?: number, whole?: boolean): Promise<boolean>;
}

/** The camera: one fit per session when it loads, then following the newest turn until the user looks elsewhere. */
export function useViewport(model: FlowModel, loaded: boolean, canvas: ElementSize, drawer: DrawerLayout): Viewport {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const [follow, setFollow] = useState(true);
  const { right, bottom } = drawer.inset;

  // Never closer than 100 %: a small turn should not fill the panel with giant nodes.
  const zoomToRect = useCallback(
    (rect: Rect, duration = 300, whole = true) => {
      const width = canvas.width - right;
      const height = canvas.height - bottom;
      if (width <= 0 || height <= 0) return Promise.resolve(false);
      const padding = 0.1;
      const zoom = Math.max(
        0.05,
        Math.min(1, (width * (1 - padding)) / rect.width, whole ? (height * (1 - padding)) / rect.height : 1),
      );
      // Tall turns: show their newest (lowest) part rather than the middle.
      const tooTall = rect.height * zoom > height * (1 - padding);
      const cy = tooTall ? rect.y + rect.height - (height * (1 - padding / 2)) / 2 / zoom : rect.y + rect.height / 2;
      return rf.setCenter(rect.x + rect.width / 2 + right / 2 / zoom, cy + bottom / 2 / zoom, { zoom, duration });
    },
    [rf, canvas.width, canvas.height, right, bottom],
  );

  const fitted = useRef(false);
  useEffect(() => {
    const newest = [...model.turnRects.values()].pop();
    if (!loaded || !newest) return;
    if (!fitted.current) {
      fitted.current = true;
      // After the pane has its size.
      requestAnimationFrame(() => void zoomToRect(newest, 0, false));
    } else if (follow) {
      void zoomToRect(newest, 300, false);
    }
  }, [model, follow, loaded, zoomToRect]);

  return useMemo(() => ({ follow, setFollow, zoomToRect }), [follow, zoomToRect]);
}

import { useEffect, useMemo, useRef } from 'react';
import type { GraphActions } from './GraphActions';
import type { FlowModel } from './flowModel';
import type { Viewport } from './useViewport';

export interface TurnActions extends GraphActions {
  /** Expand a collapsed turn and bring it into view once its new layout exists. */
  expandTurn(turnId: string): void;
}

/**
 * What a turn's frame or group node may ask of the graph. The actions stay the same
 * object for the session (every turn node reads them from context, so a new object
 * would re-render them all); they reach the latest model and camera through a ref.
 */
export function useTurnActions(
  model: FlowModel,
  viewport: Viewport,
  setTurnsCollapsed: (turnIds: Iterable<string>, collapsed: boolean) => void,
): TurnActions {
  const latest = useRef({ model, viewport });
  const zoomAfterLayout = useRef<string | null>(null);
  useEffect(() => {
    latest.current = { model, viewport };
    const turnId = zoomAfterLayout.current;
    const rect = turnId ? model.turnRects.get(turnId) : undefined;
    if (!turnId || !rect || model.collapsed.has(turnId)) return;
    zoomAfterLayout.current = null;
    void viewport.zoomToRect(rect);
  }, [model, viewport]);

  return useMemo<TurnActions>(
    () => ({
      collapseTurn: (turnId) => setTurnsCollapsed([turnId], true),
      expandTurn: (turnId) => {
        zoomAfterLayout.current = turnId;
        latest.current.viewport.setFollow(false);
        setTurnsCollapsed([turnId], false);
      },
      zoomToTurn: (turnId) => {
        const rect = latest.current.model.turnRects.get(turnId);
        if (!rect) return;
        latest.current.viewport.setFollow(false);
        void latest.current.viewport.zoomToRect(rect);
      },
    }),
    [setTurnsCollapsed],
  );
}

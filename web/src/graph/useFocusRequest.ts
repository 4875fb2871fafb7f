import { useEffect, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { ExecutionState } from '../state/executionEvents';
import type { FlowEdge, FlowModel, FlowNode } from './flowModel';
import { visibleIds } from './flowPatches';
import type { Viewport } from './useViewport';

export interface FocusRequest {
  nodeIds: string[];
  /** Changes on every request, so asking twice for the same nodes pans twice. */
  serial: number;
}

interface Options {
  focus: FocusRequest | null;
  state: ExecutionState;
  model: FlowModel;
  viewport: Viewport;
  setTurnsCollapsed(turnIds: Iterable<string>, collapsed: boolean): void;
}

/** A request to show some nodes (from the chat, or the drawer): stop following, open their turns, then fit them once laid out. */
export function useFocusRequest({ focus, state, model, viewport, setTurnsCollapsed }: Options): void {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const { setFollow, zoomToRect } = viewport;

  // Adjusted while rendering (not in an effect), so the turns open in the same pass.
  const [seen, setSeen] = useState(focus);
  if (focus !== seen) {
    setSeen(focus);
    if (focus) {
      setFollow(false);
      const turns = focus.nodeIds.map((id) => state.nodes.get(id)?.turn_id).filter((t): t is string => Boolean(t));
      setTurnsCollapsed(
        turns.filter((t) => model.collapsed.has(t)),
        false,
      );
    }
  }

  const shownSerial = useRef<number | null>(null);
  useEffect(() => {
    if (!focus || shownSerial.current === focus.serial) return;
    const visible = [...visibleIds(model, focus.nodeIds)];
    if (visible.length === 0) return;
    shownSerial.current = focus.serial;
    requestAnimationFrame(() => {
      const bounds = rf.getNodesBounds(visible);
      void zoomToRect({ x: bounds.x - 40, y: bounds.y - 40, width: bounds.width + 80, height: bounds.height + 80 }, 350);
    });
  }, [focus, model, rf, zoomToRect]);
}

/**
 * A click on a version selects it; Shift-, Ctrl- or Cmd-click adds a second version of the same
 * component (two at most: the pair to compare) or takes one off. On a narrow canvas a version the
 * bottom sheet would cover is first brought above it.
 */
import { useCallback, type Dispatch, type RefObject, type SetStateAction } from 'react';
import { useReactFlow, type NodeMouseHandler } from '@xyflow/react';
import { DRAWER_SHARE, NARROW_CANVAS_PX } from './drawerSheet';
import type { LineageFlowEdge, LineageFlowNode } from './lineageModel';

export function useVersionClick(
  canvasRef: RefObject<HTMLDivElement | null>,
  setSelected: Dispatch<SetStateAction<string[]>>,
): NodeMouseHandler<LineageFlowNode> {
  const rf = useReactFlow<LineageFlowNode, LineageFlowEdge>();

  /** The bottom sheet covers the lower part of the canvas: bring a clicked version above it. */
  const revealAboveDrawer = useCallback(
    (node: LineageFlowNode) => {
      const el = canvasRef.current;
      if (!el || el.clientWidth >= NARROW_CANVAS_PX) return;
      const { x, y, zoom } = rf.getViewport();
      const visible = el.clientHeight * (1 - DRAWER_SHARE);
      const top = node.position.y * zoom + y;
      const bottom = top + 72 * zoom;
      if (top >= 8 && bottom <= visible - 8) return;
      const targetTop = visible / 2 - 36 * zoom;
      void rf.setViewport({ x, y: y + (targetTop - top), zoom }, { duration: 200 });
    },
    [rf, canvasRef],
  );

  return useCallback(
    (event, node) => {
      if (node.type !== 'version') return;
      revealAboveDrawer(node);
      const adding = event.shiftKey || event.ctrlKey || event.metaKey;
      setSelected((s) => {
        if (!adding) return [node.id];
        if (s.includes(node.id)) return s.filter((x) => x !== node.id);
        const sameComponent = s.filter((x) => x.split('@')[0] === node.id.split('@')[0]);
        return [...sameComponent, node.id].slice(-2);
      });
    },
    [revealAboveDrawer, setSelected],
  );
}

/**
 * "Show this version" from elsewhere (the Sandbox tab, a prediction, the timeline): the version is
 * selected as soon as its node exists, then brought into view, and the request is marked shown so
 * a later return to the tab keeps the user's own view.
 */
import { useEffect, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useNavigation } from '../layout/navigation';
import { useOnChange } from '../state/useOnChange';
import { DRAWER_SHARE, NARROW_CANVAS_PX } from './drawerSheet';
import type { LineageFlowEdge, LineageFlowNode } from './lineageModel';

export function useVersionFocus({
  nodes,
  canvasRef,
  select,
  revealAfterFit,
}: {
  nodes: readonly LineageFlowNode[] | undefined;
  canvasRef: RefObject<HTMLDivElement | null>;
  select(ids: string[]): void;
  revealAfterFit(reveal: () => void): void;
}) {
  const rf = useReactFlow<LineageFlowNode, LineageFlowEdge>();
  const nav = useNavigation();
  const focusRequest = nav.focusVersion;
  const focusNode = focusRequest ? nodes?.find((n) => n.id === `${focusRequest.component}@${focusRequest.version}`) : undefined;
  useOnChange(focusNode && focusRequest ? `${focusRequest.serial}:${focusNode.id}` : null, (key) => {
    if (key && focusNode) select([focusNode.id]);
  });
  const { versionShown } = nav;
  useEffect(() => {
    if (!focusRequest || !focusNode) return;
    const node = focusNode;
    // With the drawer as a bottom sheet, centre the version in the part of the canvas left above it.
    const el = canvasRef.current;
    const below = el && el.clientWidth < NARROW_CANVAS_PX ? (el.clientHeight * DRAWER_SHARE) / 2 : 0;
    // A structure not yet fitted would fit over this: let the fit do the reveal instead.
    revealAfterFit(() => void rf.setCenter(node.position.x + 106, node.position.y + 36 + below, { zoom: 1, duration: 300 }));
    versionShown(focusRequest.serial);
  }, [focusRequest, focusNode, rf, versionShown, canvasRef, revealAfterFit]);
}

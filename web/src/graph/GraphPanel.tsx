/**
 * The live execution graph of one session (GraphCanvas), in a React Flow store of its own per
 * session.
 */
import { ReactFlowProvider } from '@xyflow/react';
import { GraphCanvas, type GraphPanelProps } from './GraphCanvas';

export type { FocusRequest } from './useFocusRequest';

/** Keyed by session: each session gets a fresh flow store, layout cache, camera and collapse choices. */
export function GraphPanel(props: GraphPanelProps) {
  return (
    <ReactFlowProvider key={props.sessionId ?? ''}>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

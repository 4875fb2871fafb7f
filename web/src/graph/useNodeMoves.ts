import { useCallback, useState } from 'react';
import { useReactFlow, type OnNodeDrag } from '@xyflow/react';
import { useMutation } from 'urql';
import { MOVE_NODE } from '../api/documents';
import type { FlowEdge, FlowModel, FlowNode } from './flowModel';

export interface NodeMoves {
  onNodeDragStop: OnNodeDrag<FlowNode>;
  /** Why the last move could not be saved; null once one is. */
  moveError: string | null;
}

/**
 * Saves where a person dropped execution nodes (move_node). The server's node_moved event
 * then places them on every console viewing the session, this one included; a move the
 * server refuses puts the node back where the graph has it.
 */
export function useNodeMoves(sessionId: string | null, model: FlowModel): NodeMoves {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const [, moveNode] = useMutation(MOVE_NODE);
  const [moveError, setMoveError] = useState<string | null>(null);

  const onNodeDragStop: OnNodeDrag<FlowNode> = useCallback(
    (_event, _node, dragged) => {
      if (!sessionId) return;
      // Only execution nodes are draggable: each stands for itself in the model.
      for (const node of dragged.filter((n) => model.visibleIdOf.get(n.id) === n.id)) {
        const { x, y } = node.position;
        void moveNode({ session_id: sessionId, node_id: node.id, x: Math.round(x), y: Math.round(y) }).then((result) => {
          if (!result.error) return setMoveError(null);
          setMoveError(result.error.message);
          const placed = model.nodes.find((n) => n.id === node.id);
          if (placed) rf.updateNode(node.id, { position: placed.position });
        });
      }
    },
    [sessionId, model, moveNode, rf],
  );
  return { onNodeDragStop, moveError };
}

import { useCallback, useState } from 'react';
import { useReactFlow, type OnNodesChange } from '@xyflow/react';
import { useMutation } from 'urql';
import { MOVE_NODE } from '../api/documents';
import type { FlowEdge, FlowModel, FlowNode } from './flowModel';

export interface NodeMoves {
  onNodesChange: OnNodesChange<FlowNode>;
  /** Why the last move could not be saved; null once one is. */
  moveError: string | null;
}

/**
 * Saves where a person put execution nodes (move_node): dropped after a drag, or moved with the
 * arrow keys while selected. The server's node_moved event then places them on every console
 * viewing the session, this one included; a move the server refuses puts the node back where
 * the graph has it.
 */
export function useNodeMoves(sessionId: string | null, model: FlowModel): NodeMoves {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const [, moveNode] = useMutation(MOVE_NODE);
  const [moveError, setMoveError] = useState<string | null>(null);

  const onNodesChange: OnNodesChange<FlowNode> = useCallback(
    (changes) => {
      if (!sessionId) return;
      for (const change of changes) {
        // A move has come to rest (a drop, or one arrow key press). Only execution nodes are
        // draggable: each stands for itself in the model.
        if (change.type !== 'position' || change.dragging !== false || !change.position) continue;
        if (model.visibleIdOf.get(change.id) !== change.id) continue;
        const { id, position } = change;
        void moveNode({ session_id: sessionId, node_id: id, x: Math.round(position.x), y: Math.round(position.y) }).then(
          (result) => {
            if (!result.error) return setMoveError(null);
            setMoveError(result.error.message);
            const placed = model.nodes.find((n) => n.id === id);
            if (placed) rf.updateNode(id, { position: placed.position });
          },
        );
      }
    },
    [sessionId, model, moveNode, rf],
  );
  return { onNodesChange, moveError };
}

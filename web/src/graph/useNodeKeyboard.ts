/**
 * Keyboard access to the graph's nodes. React Flow makes every node a tab
 * stop (in the order of the flow's nodes: turn by turn, each turn's nodes in
 * order of execution) and pans to a node that takes focus, but its own
 * Enter, Space and Escape only toggle its internal selection, and Escape
 * blurs the node. Here they do what a click does instead: open the node's
 * details and move focus into them; Escape closes the details and hands focus
 * back to the node they belong to. The arrow keys stay React Flow's: they move
 * the selected node, and useNodeMoves saves where it comes to rest.
 */
import { useCallback, type KeyboardEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';

interface Options {
  /** Holds both the flow and the details drawer. */
  canvasRef: RefObject<HTMLElement | null>;
  selectedNodeId: string | null;
  /** What a click on the node does. */
  activate(flowNodeId: string): void;
  closeDetails(): void;
}

/** A keydown handler for the canvas's capture phase, so it runs before React Flow's own. */
export function useNodeKeyboard({ canvasRef, selectedNodeId, activate, closeDetails }: Options) {
  return useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      const target = event.target as HTMLElement;
      const nodeId = target.matches('.react-flow__node') ? target.dataset.id : undefined;
      const inCanvas = (selector: string) => canvasRef.current?.querySelector<HTMLElement>(selector);
      if (nodeId && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        event.stopPropagation();
        // Render now, so the drawer this opens (none for a collapsed turn) can take focus.
        flushSync(() => activate(nodeId));
        inCanvas(`.node-drawer[data-node-id="${CSS.escape(nodeId)}"]`)?.focus();
      } else if (event.key === 'Escape' && selectedNodeId && (nodeId || target.closest('.node-drawer'))) {
        event.stopPropagation();
        inCanvas(`.react-flow__node[data-id="${CSS.escape(selectedNodeId)}"]`)?.focus();
        closeDetails();
      }
    },
    [canvasRef, selectedNodeId, activate, closeDetails],
  );
}

import type { Node } from '@xyflow/react';
import type { Rect } from './graphLayout';

/**
 * The frame drawn around a group of nodes (a turn, a component's versions), at the rectangle the
 * layout gave the group: behind its nodes, and never dragged, selected, connected or focused itself.
 */
export function frameNode<Data extends Record<string, unknown>, Type extends string>(
  id: string,
  type: Type,
  rect: Rect,
  data: Data,
): Node<Data, Type> {
  return {
    id,
    type,
    position: { x: rect.x, y: rect.y },
    data,
    width: rect.width,
    height: rect.height,
    zIndex: -1,
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
  };
}

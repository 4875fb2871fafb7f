import { createContext } from 'react';

/** What turn nodes may ask of the graph; kept out of node data so data stays serialisable. */
export interface GraphActions {
  collapseTurn(turnId: string): void;
  zoomToTurn(turnId: string): void;
}
export const GraphActionsContext = createContext<GraphActions>({ collapseTurn() {}, zoomToTurn() {} });

import { createContext } from 'react';

/** What nodes may ask of the graph; kept out of node data so data stays serialisable. */
export interface GraphActions {
  toggleTurn(turnId: string): void;
  zoomToTurn(turnId: string): void;
}
export const GraphActionsContext = createContext<GraphActions>({ toggleTurn() {}, zoomToTurn() {} });

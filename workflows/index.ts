// The worker bundles this file: every workflow type Evoscope runs.
export { chatTurn } from './chatTurn';
export { replayNode } from './replayNode';

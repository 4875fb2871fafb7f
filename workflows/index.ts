// The worker bundles this file: every workflow type Evoscope runs.
export { chatTurn } from './chatTurn';
export { replayNode } from './replayNode';
export { evolveComponent } from './evolveComponent';
export { abExperiment } from './abExperiment';
export { rollbackComponent } from './rollbackComponent';
export { changeCurrentVersion } from './changeCurrentVersion';
export { evolutionSweep } from './evolutionSweep';
export { analyseComponents } from './analyseComponents';
export { generateTool } from './generateTool';

/**
 * What crosses the client ↔ workflow boundary: task queue, workflow ids,
 * inputs and message (signal/query) names. No Node built-ins here: workflows import it.
 */
/** Default task queue (see EVOSCOPE_TASK_QUEUE). */
export const TASK_QUEUE = 'evoscope-chat';

/**
 * Where a chat turn runs its short steps (every step except the streamed answer):
 * - `local`: as local activities, on the worker that runs the turn, recorded in its history as
 *   markers: no task-queue round trip per step (the default); the steps before the agent loop
 *   run as one local activity, the learning step inside the streamed answer.
 * - `activities`: each as its own activity task, which any worker may pick up, listed as an
 *   activity in the Temporal Web UI with its own schedule, start and retry events.
 */
export const TURN_STEP_EXECUTIONS = ['local', 'activities'] as const;
export type TurnStepExecution = (typeof TURN_STEP_EXECUTIONS)[number];

/** The newest of chatTurn's revisions (its `CHANGES`, workflows/chatTurn.ts): the one the API starts turns with. */
export const CHAT_TURN_REVISION = 2;

export interface ChatTurnInput {
  sessionId: string;
  turnId: string;
  userMessageId: string;
  content: string;
  /** Absent in runs started before it existed: those replay as they ran, with `activities`. */
  stepExecution?: TurnStepExecution;
  /**
   * The chatTurn revision the starting client knows (the API says CHAT_TURN_REVISION): the turn
   * takes every change up to it without asking `patched()`, whose marker and search-attribute
   * upsert cost a turn two history events and a visibility write per change. Absent in runs
   * started before it existed: those ask `patched()`, as they did when they ran.
   */
  revision?: number;
}

export interface ChatTurnResult {
  status: 'completed' | 'failed' | 'stopped';
  assistantMessageId: string;
}

export interface ReplayNodeInput {
  sessionId: string;
  nodeId: string;
  replayId: string;
}

export const chatTurnWorkflowId = (sessionId: string, messageId: string) => `chat-turn:${sessionId}:${messageId}`;
/**
 * A chat turn's first workflow task runs its local activities (prepareTurn and the agent loop's
 * steps) and stays open until they end. Under load they outlast Temporal's default 10 s: the SDK
 * reports the task at 80 % of the timeout to keep it alive (an extra workflow task each time),
 * and a report that comes late (the worker busy) lets the task time out, so the server hands it
 * out again while the worker still holds it (the SDK's "Trying to send a new WFT for a run which
 * already has one!") and the steps run twice. The cost: a worker that dies inside that task is
 * noticed after this long instead of 10 s.
 */
export const CHAT_TURN_WORKFLOW_TASK_TIMEOUT = '30 seconds';
export const replayWorkflowId = (sessionId: string, nodeId: string, replayId: string) =>
  `replay-node:${sessionId}:${nodeId}:${replayId}`;

/** Deterministic node ids: a retried activity finds the node it already made. */
export const nodeIdFor = (turnId: string, step: string) => `${turnId}:${step}`;
export const userInputNodeId = (turnId: string) => nodeIdFor(turnId, 'user_input');

export const STOP_SIGNAL = 'stopTurn';

/** Node types whose step can be re-run from its recorded input. */
export const REPLAYABLE_NODE_TYPES = ['agent', 'plan', 'tool', 'memory', 'rag', 'response'] as const;
export const replayNodeId = (replayId: string) => `${replayId}:replay`;

/**
 * What crosses the client ↔ workflow boundary: task queue, workflow ids,
 * inputs and message (signal/query) names. No Node built-ins here: workflows import it.
 */
/** Default task queue (see EVOSCOPE_TASK_QUEUE). */
export const TASK_QUEUE = 'evoscope-chat';

export interface ChatTurnInput {
  sessionId: string;
  turnId: string;
  userMessageId: string;
  content: string;
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
export const replayWorkflowId = (sessionId: string, nodeId: string, replayId: string) =>
  `replay-node:${sessionId}:${nodeId}:${replayId}`;

/** Deterministic node ids: a retried activity finds the node it already made. */
export const nodeIdFor = (turnId: string, step: string) => `${turnId}:${step}`;
export const userInputNodeId = (turnId: string) => nodeIdFor(turnId, 'user_input');

export const STOP_SIGNAL = 'stopTurn';

/** Node types whose step can be re-run from its recorded input. */
export const REPLAYABLE_NODE_TYPES = ['agent', 'plan', 'tool', 'memory', 'rag', 'response'] as const;
export const replayNodeId = (replayId: string) => `${replayId}:replay`;

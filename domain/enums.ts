import { z } from 'zod';

/** Enumerations from section 3 of the spec (CONTRACT.md "Data model"). */
export const NodeType = z.enum([
  'user_input',
  'model_selector',
  'agent',
  'tool',
  'memory',
  'rag',
  'database',
  'test',
  'plan',
  'decision',
  'response',
  'error',
  'learning',
]);
export type NodeType = z.infer<typeof NodeType>;

export const NodeStatus = z.enum(['pending', 'executing', 'success', 'error']);
export type NodeStatus = z.infer<typeof NodeStatus>;

export const ComponentType = z.enum(['agent', 'tool', 'memory', 'model', 'chain', 'workflow']);
export type ComponentType = z.infer<typeof ComponentType>;

export const AutonomyLevel = z.enum(['manual', 'assisted', 'semi_auto', 'full']);
export type AutonomyLevel = z.infer<typeof AutonomyLevel>;

export const MessageRole = z.enum(['user', 'assistant', 'system']);
export type MessageRole = z.infer<typeof MessageRole>;

/** streaming: tokens still arriving; stopped: the user pressed stop, partial text kept. */
export const MessageStatus = z.enum(['streaming', 'complete', 'stopped', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

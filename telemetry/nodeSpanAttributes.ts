import type { Attributes } from '@opentelemetry/api';
import {
  INPUT_MIME_TYPE,
  INPUT_VALUE,
  LLM_INPUT_MESSAGES,
  LLM_OUTPUT_MESSAGES,
  MESSAGE_CONTENT,
  MESSAGE_ROLE,
  OpenInferenceSpanKind,
  OUTPUT_MIME_TYPE,
  OUTPUT_VALUE,
  SemanticConventions,
  SESSION_ID,
  TOOL_NAME,
} from '@arizeai/openinference-semantic-conventions';
import {
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
} from '@opentelemetry/semantic-conventions/incubating';
import type { NodeType } from '../domain/enums';
import type { ExecutionNode } from '../domain/execution';
import { modelCallAttributes, tokenAttributes } from './genAiAttributes';

/**
 * What a node's span says about it, in the two vocabularies agent-trace UIs read: the
 * OpenTelemetry GenAI conventions (gen_ai.*) and OpenInference (openinference.span.kind,
 * llm.*, tool.name, input/output), plus Evoscope's own (evoscope.*). Sizes always; the text of
 * inputs and outputs (a person's words, a model's answer) only when the setting allows it.
 */

/** How Phoenix and Langfuse should draw each kind of node. */
const SPAN_KINDS: Record<NodeType, OpenInferenceSpanKind> = {
  user_input: OpenInferenceSpanKind.CHAIN,
  model_selector: OpenInferenceSpanKind.CHAIN,
  agent: OpenInferenceSpanKind.AGENT,
  tool: OpenInferenceSpanKind.TOOL,
  memory: OpenInferenceSpanKind.RETRIEVER,
  rag: OpenInferenceSpanKind.RETRIEVER,
  database: OpenInferenceSpanKind.TOOL,
  test: OpenInferenceSpanKind.EVALUATOR,
  plan: OpenInferenceSpanKind.CHAIN,
  decision: OpenInferenceSpanKind.CHAIN,
  response: OpenInferenceSpanKind.LLM,
  error: OpenInferenceSpanKind.CHAIN,
  learning: OpenInferenceSpanKind.CHAIN,
};

export const spanKindOf = (type: NodeType) => SPAN_KINDS[type];

const asJson = (value: unknown) => JSON.stringify(value ?? null);
const textField = (value: unknown, field: string): string | null => {
  const text = value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  return typeof text === 'string' ? text : null;
};

/** Attributes every span of a turn carries (the root too). */
export const turnAttributes = (sessionId: string, turnId: string): Attributes => ({
  [SESSION_ID]: sessionId,
  [ATTR_GEN_AI_CONVERSATION_ID]: sessionId,
  'evoscope.turn.id': turnId,
});

/** The model call of a response node: its component is the model's provider, its version the model. */
function responseAttributes(node: ExecutionNode, withContent: boolean): Attributes {
  const provider = node.component ?? 'unknown';
  const model = node.version ?? 'unknown';
  const prompt = textField(node.input, 'content');
  const completion = textField(node.output, 'text');
  return {
    ...modelCallAttributes({ provider, model, usage: node.token_usage }),
    ...(withContent && prompt !== null
      ? { [`${LLM_INPUT_MESSAGES}.0.${MESSAGE_ROLE}`]: 'user', [`${LLM_INPUT_MESSAGES}.0.${MESSAGE_CONTENT}`]: prompt }
      : {}),
    ...(withContent && completion !== null
      ? {
          [`${LLM_OUTPUT_MESSAGES}.0.${MESSAGE_ROLE}`]: 'assistant',
          [`${LLM_OUTPUT_MESSAGES}.0.${MESSAGE_CONTENT}`]: completion,
        }
      : {}),
  };
}

/**
 * A component (tool, retriever, agent…) that ran in the node: its name and the version that ran,
 * and the tokens of the model calls it made (the analyser's classification, the planner's calls).
 */
function componentAttributes(node: ExecutionNode): Attributes {
  if (!node.component) return {};
  return {
    ...tokenAttributes(node.token_usage),
    'evoscope.component': node.component,
    ...(node.version ? { 'evoscope.component.version': node.version } : {}),
    ...(SPAN_KINDS[node.type] === OpenInferenceSpanKind.TOOL
      ? { [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: node.component, [TOOL_NAME]: node.component }
      : {}),
  };
}

export function nodeSpanAttributes(node: ExecutionNode, withContent: boolean): Attributes {
  const input = asJson(node.input);
  const output = asJson(node.output);
  return {
    ...turnAttributes(node.session_id, node.turn_id),
    [SemanticConventions.OPENINFERENCE_SPAN_KIND]: SPAN_KINDS[node.type],
    'evoscope.node.id': node.id,
    'evoscope.node.type': node.type,
    'evoscope.node.status': node.status,
    'evoscope.workflow.id': node.workflow_id,
    'evoscope.input.bytes': Buffer.byteLength(input),
    'evoscope.output.bytes': Buffer.byteLength(output),
    ...(node.type === 'response' ? responseAttributes(node, withContent) : componentAttributes(node)),
    ...(withContent
      ? {
          [INPUT_VALUE]: input,
          [INPUT_MIME_TYPE]: 'application/json',
          [OUTPUT_VALUE]: output,
          [OUTPUT_MIME_TYPE]: 'application/json',
        }
      : {}),
  };
}

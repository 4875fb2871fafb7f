/**
 * GraphQL documents of generated tools (a model's draft and proposed suite, a person's
 * acceptance, the decision) with the result shapes they read. Suites and sandbox runs travel
 * as JSON; the shapes are domain/generation.ts.
 */
import type { GeneratedToolView } from '../../../domain/generation';

const GENERATED_TOOL_FIELDS = `id stage
  draft { request examples prompted_by model name version code proposed_suite proposed_run refusal created_at }
  acceptance { accepted_by cases edited run at }
  decision { outcome reason decided_by at }`;

export const GENERATED_TOOLS_QUERY = `query GeneratedTools { generated_tools { ${GENERATED_TOOL_FIELDS} } }`;
export type GeneratedToolsResult = { generated_tools: GeneratedToolView[] };
export const GENERATED_TOOL_QUERY = `query GeneratedTool($id: ID!) { generated_tool(id: $id) { ${GENERATED_TOOL_FIELDS} } }`;
export type GeneratedToolResult = { generated_tool: GeneratedToolView };

/** `$input`: { request } (a person's "make a tool that …") or { prediction_id }. */
export const GENERATE_TOOL = `mutation GenerateTool($input: GenerateToolInput!) { generate_tool(input: $input) { generation_id workflow_id } }`;
export type GenerateToolResult = { generate_tool: { generation_id: string; workflow_id: string } };
/** `$input.cases` absent: the proposed suite as it is. */
export const ACCEPT_GENERATED_SUITE = `mutation AcceptGeneratedSuite($id: ID!, $input: AcceptGeneratedSuiteInput) { accept_generated_suite(id: $id, input: $input) { ${GENERATED_TOOL_FIELDS} } }`;
export const APPROVE_GENERATED_TOOL = `mutation ApproveGeneratedTool($id: ID!, $input: GeneratedToolDecisionInput) { approve_generated_tool(id: $id, input: $input) { ${GENERATED_TOOL_FIELDS} } }`;
export const REJECT_GENERATED_TOOL = `mutation RejectGeneratedTool($id: ID!, $input: GeneratedToolDecisionInput) { reject_generated_tool(id: $id, input: $input) { ${GENERATED_TOOL_FIELDS} } }`;

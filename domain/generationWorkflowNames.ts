/**
 * The names a tool generation's workflow shares with the API: its workflow id, update names and
 * failure type. Zod-free on purpose: the workflow bundle imports it, and Temporal evaluates the
 * bundle's modules for every workflow run (domain/generation.ts re-exports these).
 */
export const ACCEPT_SUITE_UPDATE = 'acceptGeneratedSuite';
export const APPROVE_GENERATED_UPDATE = 'approveGeneratedTool';
export const REJECT_GENERATED_UPDATE = 'rejectGeneratedTool';
/** How promoteGeneratedTool refuses (an ApplicationFailure type): the name is taken by another component, file or suite. */
export const GENERATED_NAME_TAKEN = 'GeneratedNameTaken';
export const generationWorkflowId = (generationId: string) => `generate-tool:${generationId}`;

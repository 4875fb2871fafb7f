import { z } from 'zod';

/** Where the console links out (GraphQL `server_info`): the Temporal Web UI of this namespace, and the team's trace UI. */
export const ServerInfo = z.object({
  temporal_ui_url: z.string(),
  namespace: z.string(),
  trace_url_template: z
    .string()
    .nullable()
    .describe("The team's trace UI for a node's trace: `{trace_id}` stands for the trace id (EVOSCOPE_TRACE_URL_TEMPLATE)"),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

import { WebSocket } from 'ws';
import { z } from 'zod';

/**
 * Sends a channel message its schema (domain/channels.ts) admits. One that does not fit is a bug in
 * what built it: it is thrown where it was made (the channel then closes with an internal error),
 * never sent. The message goes out as built: extra fields the schema does not name stay.
 */
export function sendChecked<S extends z.ZodType>(ws: Pick<WebSocket, 'readyState' | 'send'>, schema: S, message: z.input<S>) {
  const checked = schema.safeParse(message);
  if (!checked.success) throw new Error(`a channel message does not fit its schema: ${z.prettifyError(checked.error)}`);
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

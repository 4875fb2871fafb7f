import { WebSocket } from 'ws';
import { sendChecked } from '../../api/ws/channelSend';
import { ChannelError, MessageReceived, MetaEventMessage } from '../../domain/channels';

/** The channels send only messages their schemas admit: a misfit is thrown (a bug), never sent. */
function socket(readyState: WebSocket['readyState'] = WebSocket.OPEN) {
  const sent: unknown[] = [];
  return { readyState, send: (frame: string) => void sent.push(JSON.parse(frame)), sent };
}

test('a message that fits is sent as built, extra fields kept', () => {
  const ws = socket();
  sendChecked(ws, MessageReceived, { type: 'message_received', message_id: 'm-1', node_id: 'n-1' });
  const extra = { type: 'error' as const, message: 'no', hint: 'kept' };
  sendChecked(ws, ChannelError, extra);
  expect(ws.sent).toEqual([{ type: 'message_received', message_id: 'm-1', node_id: 'n-1' }, extra]);
});

test('a message that does not fit its schema throws, naming the field, and nothing is sent', () => {
  const ws = socket();
  const misfit = { type: 'meta_event', seq: 3, data: { type: 'version_promoted' } };
  expect(() => sendChecked(ws, MetaEventMessage, misfit as never)).toThrow(/does not fit its schema[\s\S]*data/);
  expect(ws.sent).toEqual([]);
});

test('a closed socket gets nothing, and a misfit still throws', () => {
  const ws = socket(WebSocket.CLOSED);
  sendChecked(ws, ChannelError, { type: 'error', message: 'bye' });
  expect(ws.sent).toEqual([]);
  expect(() => sendChecked(ws, ChannelError, { type: 'error' } as never)).toThrow(/message/);
});

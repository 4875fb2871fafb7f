import { applyChatEvents, chatReducer, initialChatState, isGenerating, type ChatState } from '../../web/src/state/chatEvents';
import { chatMessage, type ChatMessage, type MessageRecord } from '../../domain/chat';
import type { ChatEventData } from '../../domain/events';

const SESSION = 's1';

function message(id: string, patch: Partial<MessageRecord> = {}): ChatMessage {
  return chatMessage({
    id,
    session_id: SESSION,
    role: 'assistant',
    content: '',
    timestamp: `2025-01-01T00:00:0${id.length}.000Z`,
    status: 'streaming',
    node_ids: [],
    turn_id: 't1',
    model: null,
    error: null,
    ...patch,
  });
}
const ev = (seq: number, data: ChatEventData) => ({ seq, data });
const loaded = (messages: ChatMessage[] = [], lastSeq = 0): ChatState =>
  chatReducer(initialChatState(SESSION), { type: 'loaded', sessionId: SESSION, messages, hasMore: false, lastSeq });
const apply = (state: ChatState, ...events: { seq: number; data: unknown }[]) =>
  chatReducer(state, { type: 'events', sessionId: SESSION, events });

describe('chat event reducer', () => {
  it('streams tokens into a created message and completes it', () => {
    let s = loaded();
    s = apply(s, ev(1, { type: 'message_created', message: message('a') }));
    s = apply(
      s,
      ev(2, { type: 'token', message_id: 'a', delta: 'Hel', attempt: 1 }),
      ev(3, { type: 'token', message_id: 'a', delta: 'lo', attempt: 1 }),
    );
    expect(s.messages[0].content).toBe('Hello');
    expect(isGenerating(s)).toBe(true);
    s = apply(
      s,
      ev(4, {
        type: 'message_completed',
        message: message('a', {
          content: 'Hello',
          status: 'complete',
          model: { provider: 'offline', model: 'evoscope-offline', offline: true },
        }),
      }),
    );
    expect(s.messages[0]).toMatchObject({ content: 'Hello', status: 'complete' });
    expect(isGenerating(s)).toBe(false);
    expect(s.lastSeq).toBe(4);
  });

  it('applies a batch in seq order even when it arrives shuffled', () => {
    const s = apply(
      loaded(),
      ev(3, { type: 'token', message_id: 'a', delta: 'c', attempt: 1 }),
      ev(1, { type: 'message_created', message: message('a') }),
      ev(2, { type: 'token', message_id: 'a', delta: 'b', attempt: 1 }),
    );
    expect(s.messages[0].content).toBe('bc');
    expect(s.lastSeq).toBe(3);
  });

  it('ignores duplicates: seqs at or below the last applied one, and repeats inside a batch', () => {
    let s = apply(
      loaded(),
      ev(1, { type: 'message_created', message: message('a') }),
      ev(2, { type: 'token', message_id: 'a', delta: 'x', attempt: 1 }),
    );
    const before = s;
    s = apply(
      s,
      ev(2, { type: 'token', message_id: 'a', delta: 'x', attempt: 1 }),
      ev(1, { type: 'message_created', message: message('a') }),
    );
    expect(s).toBe(before);
    s = apply(
      s,
      ev(3, { type: 'token', message_id: 'a', delta: 'y', attempt: 1 }),
      ev(3, { type: 'token', message_id: 'a', delta: 'y', attempt: 1 }),
    );
    expect(s.messages[0].content).toBe('xy');
  });

  it('resumes after a reconnect: the replay overlapping what was seen adds nothing twice', () => {
    const all = [
      ev(1, {
        type: 'message_created',
        message: message('u', { role: 'user', content: 'hi', status: 'complete', timestamp: '2025-01-01T00:00:00.000Z' }),
      }),
      ev(2, { type: 'message_created', message: message('a', { timestamp: '2025-01-01T00:00:01.000Z' }) }),
      ev(3, { type: 'token', message_id: 'a', delta: 'one ', attempt: 1 }),
      ev(4, { type: 'token', message_id: 'a', delta: 'two ', attempt: 1 }),
      ev(5, { type: 'token', message_id: 'a', delta: 'three', attempt: 1 }),
    ];
    let s = apply(loaded(), ...all.slice(0, 3));
    // connection drops; the server replays from an older cursor than needed, then goes live
    s = apply(s, ...all.slice(1));
    expect(s.messages.map((m) => m.content)).toEqual(['hi', 'one two three']);
    expect(s.lastSeq).toBe(5);
  });

  it('a stream_reset or a higher attempt drops the partial text of the failed attempt', () => {
    let s = apply(
      loaded(),
      ev(1, { type: 'message_created', message: message('a') }),
      ev(2, { type: 'token', message_id: 'a', delta: 'partial', attempt: 1 }),
    );
    s = apply(
      s,
      ev(3, { type: 'stream_reset', message_id: 'a', attempt: 2 }),
      ev(4, { type: 'token', message_id: 'a', delta: 'fresh', attempt: 2 }),
    );
    expect(s.messages[0].content).toBe('fresh');
    // a late token from attempt 1 is dropped
    s = apply(s, ev(5, { type: 'token', message_id: 'a', delta: 'LATE', attempt: 1 }));
    expect(s.messages[0].content).toBe('fresh');
    // attempt 3 starts without a reset event: the higher attempt alone restarts the text
    s = apply(s, ev(6, { type: 'token', message_id: 'a', delta: 'third', attempt: 3 }));
    expect(s.messages[0].content).toBe('third');
  });

  it('a finished message is authoritative: late tokens and re-creation do not change it', () => {
    let s = loaded([message('a', { content: 'done', status: 'complete' })], 10);
    s = apply(
      s,
      ev(11, { type: 'token', message_id: 'a', delta: 'zzz', attempt: 1 }),
      ev(12, { type: 'message_created', message: message('a') }),
    );
    expect(s.messages[0]).toMatchObject({ content: 'done', status: 'complete' });
    expect(s.lastSeq).toBe(12);
  });

  it('re-creating a still-streaming message restarts it, since all of its tokens follow in the stream', () => {
    let s = loaded([message('a', { content: 'Hel' })], 0);
    s = apply(
      s,
      ev(1, { type: 'message_created', message: message('a') }),
      ev(2, { type: 'token', message_id: 'a', delta: 'Hello', attempt: 1 }),
    );
    expect(s.messages[0].content).toBe('Hello');
  });

  it('keeps stopped and errored answers in place with their partial text and error', () => {
    let s = apply(
      loaded(),
      ev(1, { type: 'message_created', message: message('a') }),
      ev(2, { type: 'token', message_id: 'a', delta: 'Once upon', attempt: 1 }),
    );
    s = apply(s, ev(3, { type: 'message_completed', message: message('a', { content: 'Once upon', status: 'stopped' }) }));
    expect(s.messages[0]).toMatchObject({ status: 'stopped', content: 'Once upon' });
    s = apply(
      s,
      ev(4, { type: 'message_created', message: message('bb') }),
      ev(5, { type: 'message_completed', message: message('bb', { status: 'error', error: 'model unreachable' }) }),
    );
    expect(s.messages[1]).toMatchObject({ status: 'error', error: 'model unreachable' });
  });

  it('counts unreadable events, still advances the cursor, and drops results for another session', () => {
    const s = apply(loaded(), { seq: 1, data: { type: 'nonsense' } });
    expect(s.unreadable).toBe(1);
    expect(s.lastSeq).toBe(1);
    const other = chatReducer(s, {
      type: 'events',
      sessionId: 'other',
      events: [ev(2, { type: 'message_created', message: message('a') })],
    });
    expect(other).toBe(s);
  });

  it('tracks agent activity until the answer completes', () => {
    let s = apply(
      loaded(),
      ev(1, { type: 'agent_status', node_id: 'n1', node_type: 'plan', label: 'Planning', status: 'executing' }),
    );
    expect(s.activity?.label).toBe('Planning');
    s = apply(
      s,
      ev(2, { type: 'message_created', message: message('a') }),
      ev(3, { type: 'message_completed', message: message('a', { status: 'complete' }) }),
    );
    expect(s.activity).toBeNull();
  });

  it('prepends older pages without duplicates, in timestamp order', () => {
    let s = loaded([
      message('m3', { timestamp: '2025-01-01T00:00:03.000Z' }),
      message('m4', { timestamp: '2025-01-01T00:00:04.000Z' }),
    ]);
    s = chatReducer(s, {
      type: 'older_loaded',
      sessionId: SESSION,
      hasMore: false,
      messages: [
        message('m1', { timestamp: '2025-01-01T00:00:01.000Z' }),
        message('m3', { timestamp: '2025-01-01T00:00:03.000Z' }),
      ],
    });
    expect(s.messages.map((m) => m.id)).toEqual(['m1', 'm3', 'm4']);
  });

  it('a replay from the start does not pull messages of unloaded older pages into the window', () => {
    let s = chatReducer(initialChatState(SESSION), {
      type: 'loaded',
      sessionId: SESSION,
      hasMore: true,
      lastSeq: 0,
      messages: [message('m5', { timestamp: '2025-01-01T00:00:05.000Z' })],
    });
    s = apply(
      s,
      ev(1, { type: 'message_created', message: message('m1', { timestamp: '2025-01-01T00:00:01.000Z', status: 'complete' }) }),
      ev(2, { type: 'message_completed', message: message('m1', { timestamp: '2025-01-01T00:00:01.000Z', status: 'complete' }) }),
      ev(3, { type: 'message_created', message: message('m6', { timestamp: '2025-01-01T00:00:06.000Z' }) }),
    );
    expect(s.messages.map((m) => m.id)).toEqual(['m5', 'm6']);
  });

  it('applyChatEvents returns the same object when nothing is new', () => {
    const s = loaded([], 5);
    expect(applyChatEvents(s, [ev(4, { type: 'token', message_id: 'x', delta: 'y', attempt: 1 })])).toBe(s);
  });
});

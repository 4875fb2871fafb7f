import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible HTTP server for tests: it speaks the real wire protocol
 * (JSON completions, SSE streaming, tool calls) so the `openai` client is exercised.
 * Answers are scripted per request kind and it fails loudly when a script runs out.
 */
/** The prompt tokens the fake reports for every streamed answer (its completion tokens: one per chunk). */
export const STREAM_PROMPT_TOKENS = 42;

export interface ScriptedReply {
  /** For streamed answers: the chunks to send, in order. */
  stream?: string[];
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  /** For plain completions: the message text. */
  content?: string;
  /** For planning requests: tool calls to return. */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** Respond with this HTTP status and an OpenAI-style error body instead. */
  errorStatus?: number;
  /** What the answer reports as its `usage` in place of the fake's own count: a hostile endpoint's numbers. */
  usage?: unknown;
}

export interface RecordedRequest {
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queue a reply for the next request that is streamed / has tools / is plain. */
  enqueue(kind: 'stream' | 'tools' | 'plain', reply: ScriptedReply): void;
  /**
   * Throws unless every scripted reply was used and no request came without one (such a
   * request is answered 500, which a caller that retries or falls back could hide); then
   * starts a fresh script, so one test's leftovers never answer the next.
   */
  assertScriptDone(): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

/** The reply's scripted `usage` when it has one (null and undefined included), else the fake's own count. */
const reportedUsage = (reply: ScriptedReply, counted: Record<string, number>): unknown =>
  'usage' in reply ? reply.usage : counted;

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queues: Record<'stream' | 'tools' | 'plain', ScriptedReply[]> = { stream: [], tools: [], plain: [] };
  const requests: RecordedRequest[] = [];
  const unscripted: string[] = [];
  let counter = 0;

  const server: Server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    requests.push({ body, authorization: req.headers.authorization });
    const kind = body.stream ? 'stream' : body.tools ? 'tools' : 'plain';
    const reply = queues[kind].shift();
    if (!reply) {
      unscripted.push(kind);
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `fake OpenAI: no scripted ${kind} reply left`, type: 'script_exhausted' } }));
      return;
    }
    if (reply.errorStatus) {
      res
        .writeHead(reply.errorStatus, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const id = `chatcmpl-${++counter}`;
    const model = String(body.model);
    const created = Math.floor(Date.now() / 1000);
    if (kind === 'stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      let aborted = false;
      req.on('close', () => (aborted = true));
      for (const chunk of reply.stream ?? []) {
        if (aborted) return;
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { content: chunk }, finish_reason: null }] })}\n\n`,
        );
        if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
      }
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      );
      // Asked for (stream_options.include_usage), the usage comes last, in a chunk of its own with no choices.
      if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
        const counted = { prompt_tokens: STREAM_PROMPT_TOKENS, completion_tokens: reply.stream?.length ?? 0 };
        const usage = reportedUsage(reply, { ...counted, total_tokens: counted.prompt_tokens + counted.completion_tokens });
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    const toolCalls = reply.toolCalls?.map((call, i) => ({
      id: `call_${counter}_${i}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            finish_reason: toolCalls?.length ? 'tool_calls' : 'stop',
            message: {
              role: 'assistant',
              content: reply.content ?? null,
              ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
            },
          },
        ],
        usage: reportedUsage(reply, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }),
      }),
    );
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (kind, reply) => queues[kind].push(reply),
    assertScriptDone() {
      const problems = [
        ...unscripted.map((kind) => `a ${kind} request came after the script ran out`),
        ...Object.entries(queues)
          .filter(([, q]) => q.length)
          .map(([kind, q]) => `${q.length} scripted ${kind} reply(ies) never requested`),
      ];
      unscripted.length = 0;
      for (const q of Object.values(queues)) q.length = 0;
      if (problems.length) throw new Error(`fake OpenAI: ${problems.join('; ')}`);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The HTTP face of the local model: OpenAI's `/v1/models` and `/v1/chat/completions`
 * (plain JSON or server-sent events in OpenAI's chunk format, tool calls included), so
 * the `openai` client and the model settings treat it like any OpenAI-compatible endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { createHostCheck, foreignHostMessage } from '../../domain/server/hostAllowList';
import { chatPromptOf, InvalidRequest, type ChatPrompt } from './chatPrompt';
import type { GenerateResult, LocalLlm } from './llamaRuntime';
import {
  ChatCompletionRequest,
  chunkBody,
  completionBody,
  errorBody,
  SSE_DONE,
  sseData,
  toolCallDeltas,
  usageChunkBody,
  type CompletionIds,
  type ErrorType,
  type Generated,
} from './openAiWire';
import { toolCallsInText } from './toolCallText';

export interface ServerSettings {
  modelId: string;
  /** Used when a request names no temperature (OpenAI's default is 1). */
  defaultTemperature: number;
  /** Used when a request names no max_tokens; always capped by what the context has left. */
  defaultMaxTokens: number;
  /** Host names answered besides the loopback ones (see domain/server/hostAllowList.ts). */
  allowedHosts: readonly string[];
  log: (line: string) => void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

const newId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** The generated text as OpenAI's message: tool calls when the reply is nothing but calls to offered tools. */
function generatedOf(prompt: ChatPrompt, result: GenerateResult): Generated {
  const usage = {
    prompt_tokens: result.promptTokens,
    completion_tokens: result.completionTokens,
    total_tokens: result.promptTokens + result.completionTokens,
  };
  const calls = prompt.offered.size > 0 ? toolCallsInText(result.text, prompt.offered) : null;
  if (calls) {
    const toolCalls = calls.map((call) => ({ id: newId('call_'), type: 'function' as const, function: call }));
    return { content: null, toolCalls, finishReason: 'tool_calls', usage };
  }
  return { content: result.text, toolCalls: [], finishReason: result.end === 'length' ? 'length' : 'stop', usage };
}

function parseRequest(body: unknown, settings: ServerSettings): ChatCompletionRequest {
  const parsed = ChatCompletionRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.join('.');
    throw new HttpError(
      400,
      `Invalid request: ${param ? `${param}: ` : ''}${issue.message}`,
      'invalid_request_error',
      null,
      param || null,
    );
  }
  if (parsed.data.model !== settings.modelId) {
    throw new HttpError(
      404,
      `The model '${parsed.data.model}' does not exist; this server serves '${settings.modelId}'.`,
      'invalid_request_error',
      'model_not_found',
      'model',
    );
  }
  return parsed.data;
}

function promptOf(request: ChatCompletionRequest): ChatPrompt {
  try {
    return chatPromptOf(request);
  } catch (error) {
    if (error instanceof InvalidRequest) throw new HttpError(400, error.message, 'invalid_request_error', null, error.param);
    throw error;
  }
}

export function localModelApp(llm: LocalLlm, settings: ServerSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const knownHost = createHostCheck(settings.allowedHosts);
  app.use((req, res, next) => {
    if (knownHost(req)) return next();
    res.status(403).json(errorBody(foreignHostMessage('LOCAL_MODEL_ALLOWED_HOSTS'), 'permission_error', 'foreign_host'));
  });
  app.use(express.json({ limit: '4mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, model: settings.modelId });
  });

  app.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: [{ id: settings.modelId, object: 'model', created: 0, owned_by: 'evoscope-local' }] });
  });

  app.post('/v1/chat/completions', async (req: Request, res: Response) => {
    const started = performance.now();
    const request = parseRequest(req.body, settings);
    const prompt = promptOf(request);
    const promptTokens = llm.countPromptTokens(prompt.turns);
    const room = llm.contextSize - promptTokens;
    if (room < 1) {
      throw new HttpError(
        400,
        `The messages are ${promptTokens} tokens; this model's context holds ${llm.contextSize}.`,
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      );
    }
    const ids: CompletionIds = { id: newId('chatcmpl-'), created: Math.floor(Date.now() / 1000), model: settings.modelId };
    const abort = new AbortController();
    // The client hanging up (or the openai client's own abort) stops the generation.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const streaming = request.stream === true;
    // With tools on offer the reply may turn out to be a call, so it is sent whole; otherwise it streams as it is made.
    const liveText = streaming && prompt.offered.size === 0;
    if (streaming) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(sseData(chunkBody(ids, { role: 'assistant', content: '' })));
    }

    const result = await llm.generate({
      turns: prompt.turns,
      temperature: request.temperature ?? settings.defaultTemperature,
      topP: request.top_p ?? undefined,
      maxTokens: Math.min(request.max_completion_tokens ?? request.max_tokens ?? settings.defaultMaxTokens, room),
      seed: request.seed ?? undefined,
      stop: typeof request.stop === 'string' ? [request.stop] : (request.stop ?? undefined),
      frequencyPenalty: request.frequency_penalty ?? undefined,
      presencePenalty: request.presence_penalty ?? undefined,
      jsonShape: prompt.forcedCall,
      signal: abort.signal,
      onText: liveText
        ? (text) => {
            if (text) res.write(sseData(chunkBody(ids, { content: text })));
          }
        : undefined,
    });
    const generated = generatedOf(prompt, result);
    const ms = performance.now() - started;
    settings.log(
      `chat ${ids.id} stream=${streaming} tools=${prompt.offered.size} prompt=${result.promptTokens} completion=${result.completionTokens} ` +
        `finish=${result.end === 'aborted' ? 'aborted' : generated.finishReason} ${Math.round(ms)} ms`,
    );
    if (result.end === 'aborted') {
      res.end();
      return;
    }
    if (!streaming) {
      res.json(completionBody(ids, generated));
      return;
    }
    if (!liveText && generated.content) res.write(sseData(chunkBody(ids, { content: generated.content })));
    for (const delta of toolCallDeltas(generated.toolCalls)) res.write(sseData(chunkBody(ids, delta)));
    res.write(sseData(chunkBody(ids, {}, generated.finishReason)));
    if (request.stream_options?.include_usage) res.write(sseData(usageChunkBody(ids, generated.usage)));
    res.end(SSE_DONE);
  });

  app.use((_req: Request, res: Response) => {
    res
      .status(404)
      .json(
        errorBody(
          'Unknown route; this server serves GET /v1/models and POST /v1/chat/completions.',
          'not_found_error',
          'unknown_url',
        ),
      );
  });

  // Express 5 routes rejected promises here. Before headers: an OpenAI error body; mid-stream: an error event, as OpenAI sends one.
  app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    const known = error instanceof HttpError;
    const status = known ? error.status : (error as { status?: number }).status === 400 ? 400 : 500;
    const message = error instanceof Error ? error.message : String(error);
    const body = known
      ? errorBody(message, error.type, error.code, error.param)
      : errorBody(message, status === 400 ? 'invalid_request_error' : 'server_error');
    if (status >= 500) settings.log(`error: ${message}`);
    if (res.headersSent) {
      res.end(`${sseData(body)}${SSE_DONE}`);
      return;
    }
    res.status(status).json(body);
  });
  return app;
}

export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

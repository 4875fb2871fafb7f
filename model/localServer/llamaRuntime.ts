/**
 * The model itself: node-llama-cpp (llama.cpp's prebuilt CPU build) loaded from the
 * runtime folder scripts/provision.sh installs, outside the root node_modules. Only the
 * few calls used here are typed, so the project type-checks without that folder.
 * One context sequence serves one generation at a time; requests queue.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PromptTurn } from './chatPrompt';
import type { SchemaSubset } from './jsonSchemaSubset';

type ChatHistoryItem = { type: 'system' | 'user'; text: string } | { type: 'model'; response: string[] };

interface LlamaText {
  tokenize(tokenizer: unknown): unknown[];
}
interface LlamaChat {
  readonly chatWrapper: { generateContextState(options: { chatHistory: ChatHistoryItem[] }): { contextText: LlamaText } };
  generateResponse(
    history: ChatHistoryItem[],
    options: Record<string, unknown>,
  ): Promise<{ response: string; metadata: { stopReason: string } }>;
}
interface LlamaModel {
  readonly tokenizer: unknown;
  createContext(options: {
    contextSize: number;
    threads: number;
    sequences: number;
  }): Promise<{ getSequence(): unknown; dispose(): Promise<void> }>;
  dispose(): Promise<void>;
}
interface Llama {
  loadModel(options: { modelPath: string }): Promise<LlamaModel>;
  createGrammarForJsonSchema(schema: SchemaSubset): Promise<unknown>;
  dispose(): Promise<void>;
}
interface NodeLlamaCpp {
  getLlama(options: { gpu: false; build: 'never'; logLevel: 'error' | 'warn' }): Promise<Llama>;
  LlamaChat: new (options: { contextSequence: unknown }) => LlamaChat;
}

export interface RuntimeOptions {
  /** The folder holding the runtime's package.json and node_modules (.tools/local-model). */
  runtimeDir: string;
  modelPath: string;
  threads: number;
  contextSize: number;
  /** llama.cpp's repeat penalty; >1 keeps a tiny model from looping at temperature 0. */
  repeatPenalty: number;
}

export interface GenerateOptions {
  turns: PromptTurn[];
  temperature: number;
  topP?: number;
  maxTokens: number;
  seed?: number;
  stop?: string[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Constrains the reply to JSON of this shape (a forced tool call). */
  jsonShape: SchemaSubset | null;
  signal: AbortSignal;
  /** Receives the reply as it is generated. */
  onText?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** length: stopped at maxTokens; aborted: the caller went away. */
  end: 'stop' | 'length' | 'aborted';
}

export interface LocalLlm {
  readonly contextSize: number;
  countPromptTokens(turns: PromptTurn[]): number;
  generate(options: GenerateOptions): Promise<GenerateResult>;
  close(): Promise<void>;
}

async function importRuntime(runtimeDir: string): Promise<NodeLlamaCpp> {
  let entry: string;
  try {
    entry = createRequire(path.join(runtimeDir, 'package.json')).resolve('node-llama-cpp');
  } catch {
    throw new Error(
      `node-llama-cpp is not installed in ${runtimeDir}; run \`bash scripts/provision.sh\` (it installs tools/local-model there).`,
    );
  }
  return (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
}

const historyOf = (turns: PromptTurn[]): ChatHistoryItem[] => [
  ...turns.map((t): ChatHistoryItem =>
    t.role === 'assistant' ? { type: 'model', response: [t.text] } : { type: t.role, text: t.text },
  ),
  // An empty model turn at the end: the reply the model writes.
  { type: 'model', response: [] },
];

export async function loadLocalLlm(options: RuntimeOptions): Promise<LocalLlm> {
  const runtime = await importRuntime(options.runtimeDir);
  // build: 'never' — the prebuilt binary or nothing; this machine must never compile llama.cpp.
  const llama = await runtime.getLlama({ gpu: false, build: 'never', logLevel: 'error' });
  const model = await llama.loadModel({ modelPath: options.modelPath });
  const context = await model.createContext({ contextSize: options.contextSize, threads: options.threads, sequences: 1 });
  const chat = new runtime.LlamaChat({ contextSequence: context.getSequence() });
  let queue: Promise<unknown> = Promise.resolve();

  const countPromptTokens = (turns: PromptTurn[]) =>
    chat.chatWrapper.generateContextState({ chatHistory: historyOf(turns) }).contextText.tokenize(model.tokenizer).length;

  async function generateNow(request: GenerateOptions): Promise<GenerateResult> {
    const grammar = request.jsonShape ? await llama.createGrammarForJsonSchema(request.jsonShape) : undefined;
    let completionTokens = 0;
    const result = await chat.generateResponse(historyOf(request.turns), {
      temperature: request.temperature,
      topP: request.topP,
      maxTokens: request.maxTokens,
      seed: request.seed,
      grammar,
      customStopTriggers: request.stop && request.stop.length > 0 ? request.stop : undefined,
      repeatPenalty: {
        penalty: options.repeatPenalty,
        frequencyPenalty: request.frequencyPenalty ?? undefined,
        presencePenalty: request.presencePenalty ?? undefined,
      },
      signal: request.signal,
      stopOnAbortSignal: true,
      onTextChunk: request.onText,
      onToken: (tokens: unknown[]) => {
        completionTokens += tokens.length;
      },
    });
    const reason = result.metadata.stopReason;
    return {
      text: result.response,
      promptTokens: countPromptTokens(request.turns),
      completionTokens,
      end: reason === 'maxTokens' ? 'length' : reason === 'abort' || request.signal.aborted ? 'aborted' : 'stop',
    };
  }

  return {
    contextSize: options.contextSize,
    countPromptTokens,
    generate(request) {
      const run = queue.then(() =>
        request.signal.aborted
          ? { text: '', promptTokens: 0, completionTokens: 0, end: 'aborted' as const }
          : generateNow(request),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

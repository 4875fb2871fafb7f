/**
 * The natural-phrasing set (datasets/natural/requests.json) through a chat turn's own steps
 * (bench/naturalTurn.ts). With `--local-model` the local SmolLM2 server plans and answers;
 * otherwise the offline model does. Prints and writes the figures: right tool and right answer
 * per part, and for a model the forced tool calls made and how many of them were valid (their
 * arguments ran).
 *
 *   npx tsx bench/naturalSet.ts [--local-model] [--limit N]
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { judgeCase, loadNaturalSet, summarise, type CaseVerdict } from '../evaluation/naturalSet';
import type { ModelClient } from '../model/modelClient';
import { createOfflineModel } from '../model/offlineModel';
import { createOpenAiModel } from '../model/openAiModel';
import { sandboxPool } from '../sandbox/sandboxPool';
import { startLocalModelServer } from '../scripts/lib/localModel';
import { getFreePort, stopProcess } from '../scripts/lib/processes';
import { answerOne, shippedAgentDeps, type CallFigures } from './naturalTurn';

async function main() {
  const local = process.argv.includes('--local-model');
  const limitAt = process.argv.indexOf('--limit');
  const cases = loadNaturalSet().slice(0, limitAt === -1 ? undefined : Number(process.argv[limitAt + 1]));
  const deps = await shippedAgentDeps();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-natural-'));
  const server = local
    ? await startLocalModelServer({
        port: await getFreePort(),
        logFile: path.join(dir, 'local-model.log'),
        settings: { LOCAL_MODEL_TEMPERATURE: '0', LOCAL_MODEL_THREADS: '1', LOCAL_MODEL_MAX_TOKENS: '96' },
      })
    : null;
  const model: ModelClient = server
    ? createOpenAiModel({ baseUrl: server.baseUrl, apiKey: '', model: server.modelId })
    : createOfflineModel(0);
  const calls: CallFigures = { forced: 0, valid: 0 };
  const verdicts: CaseVerdict[] = [];
  try {
    for (const c of cases) {
      const verdict = judgeCase(c, await answerOne(deps, model, c.content, calls));
      verdicts.push(verdict);
      console.log(
        `${verdict.rightAnswer ? 'right' : 'WRONG'} ${c.id}: [${verdict.reply.tools.join(', ')}] ${JSON.stringify(verdict.reply.text.slice(0, 120))}`,
      );
    }
  } finally {
    if (server) await stopProcess(server.process);
    await rm(dir, { recursive: true, force: true });
    await sandboxPool.close();
  }
  const figures = { model: model.label, score: summarise(verdicts), tool_calls: local ? calls : null };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync(
    path.join(__dirname, `natural-${local ? 'local-model' : 'offline'}-results.json`),
    JSON.stringify(figures, null, 2) + '\n',
  );
}

void main();

/**
 * The embedded local model server: `node --import tsx model/localServer/main.ts`
 * (started by `EVOSCOPE_LOCAL_MODEL=1 npm start`, the real-model tests and the bench).
 * Prints one `listening on <url>` line once the weights are loaded and it answers.
 */
import fs from 'node:fs';
import { loadLocalLlm } from './llamaRuntime';
import { listen, localModelApp } from './server';
import { loadLocalModelSettings } from './settings';

async function main(): Promise<void> {
  const settings = loadLocalModelSettings();
  if (!fs.existsSync(settings.LOCAL_MODEL_PATH)) {
    throw new Error(`The model weights ${settings.LOCAL_MODEL_PATH} are missing; run \`bash scripts/provision.sh\`.`);
  }
  const started = performance.now();
  const llm = await loadLocalLlm({
    runtimeDir: settings.LOCAL_MODEL_RUNTIME_DIR,
    modelPath: settings.LOCAL_MODEL_PATH,
    threads: settings.LOCAL_MODEL_THREADS,
    contextSize: settings.LOCAL_MODEL_CONTEXT,
    repeatPenalty: settings.LOCAL_MODEL_REPEAT_PENALTY,
  });
  const loadMs = Math.round(performance.now() - started);
  const app = localModelApp(llm, {
    modelId: settings.LOCAL_MODEL_ID,
    defaultTemperature: settings.LOCAL_MODEL_TEMPERATURE,
    defaultMaxTokens: settings.LOCAL_MODEL_MAX_TOKENS,
    allowedHosts: settings.LOCAL_MODEL_ALLOWED_HOSTS,
    log: (line) => console.log(line),
  });
  const server = await listen(app, settings.LOCAL_MODEL_HOST, settings.LOCAL_MODEL_PORT);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.LOCAL_MODEL_PORT;
  console.log(
    `loaded ${settings.LOCAL_MODEL_ID} in ${loadMs} ms (${settings.LOCAL_MODEL_THREADS} thread(s), context ${settings.LOCAL_MODEL_CONTEXT}, ` +
      `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB)`,
  );
  console.log(`listening on http://${settings.LOCAL_MODEL_HOST}:${port}/v1`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    void llm.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** Jest global setup: one Temporal dev server and one FerretDB for the whole run. */
import { startTestServers, type TestServers } from './support/servers';

declare global {
  var __evoscopeTestServers: TestServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Setup and teardown run in the same (parent) process, so globalThis carries the handles.
  globalThis.__evoscopeTestServers = await startTestServers();
}

/**
 * Jest global setup of the projects that need servers (integration, durability, e2e): one
 * Temporal dev server and one FerretDB for the whole run. Jest runs it only when such a
 * project has tests selected, and once however many of them do (they name the same module).
 */
import { startTestServers, type TestServers } from '../harness/servers';

declare global {
  var __evoscopeTestServers: TestServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Setup and teardown run in the same (parent) process, so globalThis carries the handles.
  globalThis.__evoscopeTestServers = await startTestServers();
}

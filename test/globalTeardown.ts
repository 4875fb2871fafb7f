/** Jest global teardown: stops whatever the global setup started. */
import { stopTestServers } from '../harness/servers';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__evoscopeTestServers;
  globalThis.__evoscopeTestServers = undefined;
  if (servers) await stopTestServers(servers);
}

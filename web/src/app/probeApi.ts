/**
 * Before the console opens: one request that tells a good token from a refused one and a
 * reachable API from one that is down, so the page can say which (AccessScreen) instead of
 * opening a console that cannot work.
 */
import { ServerInfo } from '../../../domain/serverInfo';
import { SERVER_INFO_QUERY } from '../api/documents';

export type Probe =
  | { kind: 'checking' }
  | { kind: 'ok'; serverInfo: ServerInfo | null }
  | { kind: 'rejected' }
  | { kind: 'unreachable'; detail: string };

export async function probeApi(token: string): Promise<Probe> {
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SERVER_INFO_QUERY }),
    });
    if (response.status === 401 || response.status === 403) return { kind: 'rejected' };
    if (!response.ok) return { kind: 'unreachable', detail: `HTTP ${response.status} ${response.statusText}` };
    // Checked against the domain's shape: the console links out only with what the server really sent.
    const body = (await response.json()) as { data?: { server_info?: unknown } } | null;
    const serverInfo = ServerInfo.safeParse(body?.data?.server_info);
    return { kind: 'ok', serverInfo: serverInfo.success ? serverInfo.data : null };
  } catch (err) {
    return { kind: 'unreachable', detail: err instanceof Error ? err.message : String(err) };
  }
}

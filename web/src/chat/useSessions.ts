/** The session list and the mutations on it. */
import { useCallback, useEffect, useRef } from 'react';
import { useStore, useTransport } from '../api/TransportContext';
import { useMutation, useQuery } from 'urql';
import {
  CREATE_SESSION,
  DELETE_SESSION,
  RENAME_SESSION,
  SESSIONS_QUERY,
  type CreateSessionResult,
  type SessionsResult,
} from '../api/documents';
import type { ChatSession } from '../../../domain/chat';

export interface Sessions {
  sessions: ChatSession[];
  loading: boolean;
  error: string | null;
  refresh(): void;
  create(title?: string): Promise<ChatSession | null>;
  rename(id: string, title: string): Promise<string | null>;
  remove(id: string): Promise<string | null>;
}

export function useSessions(): Sessions {
  const [{ data, fetching, error }, reexecute] = useQuery<SessionsResult>({ query: SESSIONS_QUERY });
  const [, createMutation] = useMutation<CreateSessionResult>(CREATE_SESSION);
  const [, renameMutation] = useMutation(RENAME_SESSION);
  const [, deleteMutation] = useMutation(DELETE_SESSION);
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  // Back from a reconnect: what changed meanwhile (or failed to load) is fetched again.
  const phase = useStore(useTransport().connection).phase;
  const lastPhase = useRef(phase);
  useEffect(() => {
    if (phase === 'live' && lastPhase.current === 'reconnecting') refresh();
    lastPhase.current = phase;
  }, [phase, refresh]);

  const create = useCallback(
    async (title?: string) => {
      const result = await createMutation(title ? { title } : {});
      refresh();
      return result.data?.create_session ?? null;
    },
    [createMutation, refresh],
  );
  const rename = useCallback(
    async (id: string, title: string) => {
      const result = await renameMutation({ id, title });
      refresh();
      return result.error ? result.error.message : null;
    },
    [renameMutation, refresh],
  );
  const remove = useCallback(
    async (id: string) => {
      const result = await deleteMutation({ id });
      refresh();
      return result.error ? result.error.message : null;
    },
    [deleteMutation, refresh],
  );

  const sessions = [...(data?.sessions ?? [])].sort((a, b) =>
    a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0,
  );
  return { sessions, loading: fetching && !data, error: error?.message ?? null, refresh, create, rename, remove };
}

/** The session list and the mutations on it. */
import { useCallback, useEffect, useRef, useState } from 'react';
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
  // urql drops a refresh asked for while the same query is in flight (the first load of a long list,
  // say), so a session created meanwhile is shown from the mutation's answer until the list has it.
  const [created, setCreated] = useState<ChatSession[]>([]);
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
      const session = result.data?.create_session ?? null;
      if (session) setCreated((known) => [...known, session]);
      refresh();
      return session;
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
      if (!result.error) setCreated((known) => known.filter((s) => s.id !== id));
      refresh();
      return result.error ? result.error.message : null;
    },
    [deleteMutation, refresh],
  );

  const listed = data?.sessions ?? [];
  const notListedYet = created.filter((c) => !listed.some((s) => s.id === c.id));
  // Once listed, the server's list speaks for it (a deletion elsewhere must not bring it back).
  if (data && notListedYet.length < created.length) setCreated(notListedYet);
  const sessions = [...listed, ...notListedYet].sort((a, b) =>
    a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0,
  );
  return { sessions, loading: fetching && !data, error: error?.message ?? null, refresh, create, rename, remove };
}

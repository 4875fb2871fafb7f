/** The generated tools, and one of them, kept current: refetched on their meta event and polled while they move. */
import { useCallback, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { MODEL_SETTINGS_QUERY, type ModelSettingsResult } from '../api/documents';
import {
  GENERATED_TOOL_QUERY,
  GENERATED_TOOLS_QUERY,
  type GeneratedToolResult,
  type GeneratedToolsResult,
} from '../api/generationDocuments';
import { useMetaRefreshedQuery } from '../state/useMetaStream';
import { pollDelayMs, statusOf, type GenerationStatus } from './generationStatus';

/** Asks again after `delay` ms each time a result arrives (`revision` changes); never when delay is null. */
function usePollAfter(delay: number | null, revision: unknown, refresh: () => void) {
  useEffect(() => {
    if (delay === null) return;
    const timer = setTimeout(refresh, delay);
    return () => clearTimeout(timer);
  }, [delay, revision, refresh]);
}

export function useGeneratedTools() {
  // A draft recorded and a tool promoted both announce `component_generated`.
  const [{ data, error }, refresh] = useMetaRefreshedQuery<GeneratedToolsResult>(GENERATED_TOOLS_QUERY, 'component_generated');
  const list = data?.generated_tools ?? null;
  usePollAfter(pollDelayMs((list ?? []).map(statusOf), false), data, refresh);
  return { list, error: error ? (error.graphQLErrors[0]?.message ?? error.message) : null, refresh };
}

/**
 * One generated tool. `answered(status)` says a person's answer from this console was taken
 * while it stood at `status`: it is polled quickly until the workflow has moved on.
 */
export function useGeneratedTool(id: string) {
  const [{ data, error }, refetch] = useQuery<GeneratedToolResult>({ query: GENERATED_TOOL_QUERY, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const tool = data?.generated_tool ?? null;
  const status = tool ? statusOf(tool) : null;
  const [answeredAt, setAnsweredAt] = useState<GenerationStatus | null>(null);
  usePollAfter(status === null ? null : pollDelayMs([status], answeredAt === status), data, refresh);
  return {
    tool,
    status,
    error: error ? (error.graphQLErrors[0]?.message ?? error.message) : null,
    answered: (at: GenerationStatus) => {
      setAnsweredAt(at);
      refresh();
    },
  };
}

/** Whether a model is configured: only a model can draft a tool. null while unknown. */
export function useModelConfigured(): boolean | null {
  const [{ data }] = useQuery<ModelSettingsResult>({ query: MODEL_SETTINGS_QUERY });
  return data ? !data.model_settings.offline : null;
}

/** One subscription to the meta channel for the whole console; every panel reads it through MetaEventsContext. */
import type { ReactNode } from 'react';
import { MetaEventsContext, useMetaStream } from '../state/useMetaStream';

export function MetaStreamProvider({ children }: { children: ReactNode }) {
  const meta = useMetaStream();
  return <MetaEventsContext.Provider value={meta}>{children}</MetaEventsContext.Provider>;
}

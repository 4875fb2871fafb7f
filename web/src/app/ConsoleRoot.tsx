/** The console once the token is accepted: one transport (urql and the channels) and the meta stream under everything. */
import { useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import type { ServerInfo } from '../../../domain/serverInfo';
import { createTransport, type Transport } from '../api/transport';
import { TransportContext, useStore } from '../api/TransportContext';
import { forgetAccessToken } from '../auth/accessToken';
import { AccessScreen } from '../components/AccessScreen';
import { Console } from './Console';
import { MetaStreamProvider } from './MetaStreamProvider';

export function ConsoleRoot({ token, serverInfo }: { token: string; serverInfo: ServerInfo | null }) {
  // One transport for the page's lifetime: a new token always comes with a reload.
  const [transport] = useState<Transport>(() => createTransport(token));
  const access = useStore(transport.access);
  if (access === 'rejected') {
    forgetAccessToken();
    return <AccessScreen reason="rejected" />;
  }
  return (
    <TransportContext.Provider value={transport}>
      <UrqlProvider value={transport.urql}>
        <MetaStreamProvider>
          <Console serverInfo={serverInfo} />
        </MetaStreamProvider>
      </UrqlProvider>
    </TransportContext.Provider>
  );
}

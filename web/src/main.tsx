// React Flow's stylesheet first, then ours: graph.css and evolution.css override it (the graph panels import it too).
import '@xyflow/react/dist/style.css';
import './styles/global.css';
import './styles/controls.css';
import './styles/panels.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { captureAccessToken } from './auth/accessToken';

const token = captureAccessToken();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App token={token} />
  </StrictMode>,
);

import { cp } from 'node:fs/promises';
import path from 'node:path';

/** The folders of the agent's own components (analyser, responder, planner, model selector): every chat turn runs them. */
const AGENT_FOLDERS = ['agent', 'chain', 'model'];

/** Copies the agent's components into a scratch components folder, so chat turns run there beside the folder's own tools. */
export async function copyAgentComponents(componentsDir: string): Promise<void> {
  const source = path.resolve(__dirname, '../components');
  for (const folder of AGENT_FOLDERS) await cp(path.join(source, folder), path.join(componentsDir, folder), { recursive: true });
}

import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { api } from '../../harness/client';
import { startTestStack, type TestStack } from '../../harness/stack';
import { suiteFor, tunableComponent } from './tunableComponent';

export interface ComponentFolders {
  componentsDir: string;
  suitesDir: string;
}

const repo = path.resolve(__dirname, '..', '..');

/** The shipped components and suites copied into dir, plus the tunable `scaler` tool and its suite. */
export async function shippedFoldersWithScaler(dir: string): Promise<ComponentFolders> {
  const componentsDir = path.join(dir, 'components');
  const suitesDir = path.join(dir, 'suites');
  await cp(path.join(repo, 'components'), componentsDir, {
    recursive: true,
    filter: (src) => !src.endsWith('.ts') && !src.endsWith('.md'),
  });
  await writeFile(path.join(componentsDir, 'tools', 'scaler.js'), tunableComponent('scaler', 1));
  await mkdir(suitesDir);
  await cp(path.join(repo, 'datasets', 'suites'), suitesDir, { recursive: true });
  await writeFile(path.join(suitesDir, 'scaler.json'), JSON.stringify(suiteFor('scaler')));
  return { componentsDir, suitesDir };
}

/** A stack on these folders at full autonomy with no watch window: a winning candidate is promoted at once. */
export async function startPromotingStack(name: string, folders: ComponentFolders): Promise<TestStack> {
  const stack = await startTestStack(name, {
    EVOSCOPE_COMPONENTS_DIR: folders.componentsDir,
    EVOSCOPE_SUITES_DIR: folders.suitesDir,
  });
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  return stack;
}

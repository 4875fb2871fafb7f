import type { Db } from 'mongodb';
import type { Env } from '../domain/server/env';
import type { LoadedComponent } from '../components/registry';

export interface Document {
  path: string;
  text: string;
}

/** Everything activities touch, handed in once by the worker (and by tests). */
export interface ActivityDeps {
  db: Db;
  env: Env;
  components: ReadonlyMap<string, LoadedComponent>;
  corpus: Document[];
}

/** Who is running: the chat turn (or replay) a step belongs to. */
export interface TurnContext {
  sessionId: string;
  turnId: string;
  workflowId: string;
}

import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Env } from '../domain/server/env';
import type { EventFeed } from './events/eventFeed';

/** What every API code path (REST, GraphQL, WebSocket) is given. */
export interface ApiDeps {
  env: Env;
  db: Db;
  temporal: Client;
  feed: EventFeed;
  token: string;
}

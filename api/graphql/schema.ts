import { builder } from './builder';
import './types/session';
import './types/message';
import './types/execution';
import './types/events';
import './types/system';
import './types/evolution';
import './types/schedule';
import './types/generation';
import './types/teaching';

/** One module per noun adds its own fields; this assembles them. */
export const schema = builder.toSchema({ sortSchema: true });

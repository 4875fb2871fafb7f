import { z } from 'zod';

/** An id as a client may send it (sessions, nodes, components, experiments, …): bounded, no path or query syntax. */
export const Identifier = z.string().regex(/^[A-Za-z0-9:_.-]{1,200}$/, 'not a valid id');

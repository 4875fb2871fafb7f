import { z } from 'zod';
import { ChangeRules, ChangeRulesPatch } from '../../domain/evolution';
import { EvolutionScheduleView, ScheduleInput, SweepRunView } from '../../domain/evolutionSchedule';
import { MetaEvent } from '../../domain/meta';
import { MAX_LIST_PAGE } from '../../domain/listPage';
import { queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** How the system evolves: its timeline, the sweep's schedule and the change rules. */
export const evolutionRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/meta/evolution/timeline',
    summary: "The system's evolution timeline (the newest meta events, oldest first)",
    tag: 'meta',
    spec: true,
    query: z.object({
      limit: z.string().optional().describe(`events on the page, 1-${MAX_LIST_PAGE} (200 by default)`),
      before: z.string().optional().describe('the page before: the `seq` of the oldest event of this one'),
    }),
    status: 200,
    response: z.object({ timeline: z.array(MetaEvent) }),
    handle: async ({ query }, { evolution }) => ({
      timeline: await evolution.timeline(queryNumber(query.limit), queryNumber(query.before)),
    }),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/evolution/schedule',
    summary: 'The evolution sweep schedule',
    tag: 'meta',
    status: 200,
    response: EvolutionScheduleView,
    handle: (_req, { schedule }) => schedule.describe(),
  }),
  declareRoute({
    method: 'put',
    path: '/api/meta/evolution/schedule',
    summary: 'Turn the sweep on or off, set its interval',
    tag: 'meta',
    body: ScheduleInput,
    status: 200,
    response: EvolutionScheduleView,
    handle: ({ body }, { schedule }) => schedule.update(body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/evolution/schedule/run',
    summary: 'Run a sweep now and wait for it',
    tag: 'meta',
    status: 200,
    response: SweepRunView,
    handle: (_req, { schedule }) => schedule.runNow(),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/change-rules',
    summary: 'The change rules',
    tag: 'meta',
    status: 200,
    response: ChangeRules,
    handle: (_req, { evolution }) => evolution.changeRules(),
  }),
  declareRoute({
    method: 'put',
    path: '/api/meta/change-rules',
    summary: 'Change some rules',
    tag: 'meta',
    body: ChangeRulesPatch,
    status: 200,
    response: ChangeRules,
    handle: ({ body }, { evolution }) => evolution.updateChangeRules(body),
  }),
];

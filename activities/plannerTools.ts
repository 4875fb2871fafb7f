import type { LoadedComponent } from '../registry/registry';
import type { PlannerTool } from '../model/modelClient';

/**
 * The functions a model may call while planning. Tools expose their own input schema;
 * memory and retrieval get host-shaped functions, because the host supplies their data.
 */
export function plannerTools(components: Iterable<LoadedComponent>): PlannerTool[] {
  const tools: PlannerTool[] = [];
  for (const c of components) {
    if (c.name === 'docs_retriever') {
      tools.push({
        name: 'search_docs', description: c.manifest.description,
        parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        step: { kind: 'rag', component: c.name },
      });
    } else if (c.name === 'session_memory') {
      tools.push({
        name: 'remember_fact', description: 'Store a fact the user asked to remember',
        parameters: { type: 'object', properties: { op: { type: 'string', enum: ['remember'] }, text: { type: 'string' } }, required: ['op', 'text'] },
        step: { kind: 'memory', component: c.name },
      }, {
        name: 'recall_facts', description: 'Look up facts the user told earlier in this session',
        parameters: { type: 'object', properties: { op: { type: 'string', enum: ['recall'] }, query: { type: 'string' } }, required: ['op', 'query'] },
        step: { kind: 'memory', component: c.name },
      });
    } else if (c.manifest.type === 'tool') {
      tools.push({ name: c.name, description: c.manifest.description, parameters: c.manifest.input_schema, step: { kind: 'tool', component: c.name } });
    }
  }
  return tools;
}

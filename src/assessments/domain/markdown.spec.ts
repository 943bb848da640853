import { renderMarkdown } from './markdown';

describe('renderMarkdown (assignment instructions)', () => {
  it('renders headings, lists, emphasis, code and links', () => {
    const html = renderMarkdown('# Title\n\n- **one**\n- `two`\n\n```js\nconst a = 1;\n```\n\n[docs](https://example.com)');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>one</strong>');
    expect(html).toContain('<code>two</code>');
    expect(html).toContain('<code class="language-js">const a = 1;');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">docs</a>');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>hello', /<script|alert\(1\)/i],
    ['an event handler', '<img src=x onerror="alert(1)">', /onerror|<img/i],
    ['a javascript: link', '[click](javascript:alert(1))', /javascript:/i],
    ['a javascript: link in raw html', '<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['a style attribute', '<p style="position:fixed">x</p>', /style=/i],
    ['a data: url', '[x](data:text/html;base64,PHNjcmlwdD4=)', /data:/i],
    ['an svg with script', '<svg><script>alert(1)</script></svg>', /<svg|<script/i],
    ['a form', '<form action="https://evil.example"><input name=p></form>', /<form|<input/i],
    ['an entity-encoded javascript link', '<a href="&#106;avascript:alert(1)">x</a>', /avascript:/i],
  ])('removes %s', (_what, md, bad) => {
    expect(renderMarkdown(md)).not.toMatch(bad);
  });

  it('keeps the text of removed markup escaped', () => {
    expect(renderMarkdown('1 < 2 & 3 > 2')).toBe('<p>1 &lt; 2 &amp; 3 &gt; 2</p>');
  });

  it('keeps GFM task-list checkboxes disabled', () => {
    const html = renderMarkdown('- [x] done\n- [ ] todo');
    expect(html.match(/<input[^>]*>/g)).toHaveLength(2);
    for (const input of html.match(/<input[^>]*>/g)!) expect(input).toMatch(/^(?=.*type="checkbox")(?=.*disabled)/);
  });
});

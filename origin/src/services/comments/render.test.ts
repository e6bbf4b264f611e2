import { describe, expect, it } from 'vitest';
import { renderCommentHtml } from './render.js';

describe('renderCommentHtml', () => {
  it('renders Markdown emphasis, code and lists', () => {
    expect(renderCommentHtml('Hello **world** and `code`')).toBe(
      '<p>Hello <strong>world</strong> and <code>code</code></p>',
    );
    expect(renderCommentHtml('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
  });

  it('marks every link nofollow noopener ugc, bare URLs included', () => {
    expect(renderCommentHtml('[site](https://example.com)')).toBe(
      '<p><a href="https://example.com" rel="nofollow noopener ugc">site</a></p>',
    );
    expect(renderCommentHtml('see https://example.org/x')).toContain(
      '<a href="https://example.org/x" rel="nofollow noopener ugc">',
    );
  });

  it('never lets a script tag through: raw HTML is shown as text', () => {
    const html = renderCommentHtml('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('never renders a javascript: or data: link', () => {
    for (const source of [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD4=)',
      '<a href="javascript:alert(1)">x</a>',
    ]) {
      const html = renderCommentHtml(source);
      expect(html).not.toMatch(/<a\s/i);
      expect(html).toMatch(/^<p>/);
    }
  });

  it('drops headings and images to their text', () => {
    expect(renderCommentHtml('# Title')).toBe('<p># Title</p>');
    expect(renderCommentHtml('![alt](https://example.com/a.png)')).not.toContain('<img');
  });
});

import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in the source is shown as text (`html: false`), never interpreted; markdown-it also
// refuses `javascript:`/`data:` links. sanitize-html then enforces an allow-list on the output,
// so a renderer bug cannot let a script or an event handler through.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true }).disable([
  'heading',
  'lheading',
  'image',
  'table',
]);

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'a', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow noopener ugc' },
    }),
  },
};

/**
 * Comment Markdown to safe HTML: paragraphs, emphasis, code, quotes, lists and links (every link
 * `rel="nofollow noopener ugc"`). Headings, images and tables are not comment material and come
 * out as their text. Pure.
 */
export function renderCommentHtml(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE).trim();
}

/**
 * A federated comment's HTML (a remote `Note`'s content) through the same allow-list as ours, and
 * its plain text (the `text` we keep as its source). Pure.
 */
export function sanitizeRemoteComment(html: string): { html: string; text: string } {
  return {
    html: sanitizeHtml(html, SANITIZE).trim(),
    text: sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim(),
  };
}

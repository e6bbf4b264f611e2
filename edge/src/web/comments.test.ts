import { describe, expect, it } from 'vitest';
import { BASE, postForm, signIn, unlabelledControls, WEB, web } from '../../test/web-client.js';

// The `encoding` video is ready and public; these tests are the only ones that comment on it.
const VIDEO = WEB.videos.encoding;
const WATCH = `/w/${VIDEO}`;

async function watch(cookie?: string, query = '') {
  const res = await web(`${WATCH}${query}`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, page: await res.text() };
}

/** Post a comment form as `cookie`; answers the id of the comment it lands on. */
async function submit(cookie: string, path: string, fields: Record<string, string>) {
  const res = await postForm(path, fields, { cookie });
  const location = res.headers.get('location') ?? '';
  return { res, id: Number(/#comment-(\d+)$/.exec(location)?.[1]), location };
}

/** The `<li>` of one comment, up to its closing tag (without nested replies). */
function commentItem(page: string, id: number): string {
  const start = page.indexOf(`<li id="comment-${id}"`);
  if (start < 0) return '';
  return page.slice(start, page.indexOf('</article>', start));
}

describe('comments on the watch page', () => {
  it('invites anonymous visitors to sign in, with no comment form', async () => {
    const { status, page } = await watch();
    expect(status).toBe(200);
    expect(page).toContain('<section class="comments" id="comments" aria-labelledby="comments-heading">');
    expect(page).toContain(
      `<a href="/login?next=${encodeURIComponent(`${WATCH}#comments`)}">Sign in</a> to comment.`,
    );
    expect(page).not.toContain('id="new-comment"');
  });

  it('posts, renders sanitised Markdown, replies, likes, edits and deletes', async () => {
    const cookie = await signIn('other');
    const posted = await submit(cookie, `${WATCH}/comments`, {
      text: 'Hello **there** <script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(posted.res.status).toBe(303);
    expect(posted.location).toBe(`${WATCH}#comment-${posted.id}`);
    let { page } = await watch(cookie);
    expect(unlabelledControls(page)).toEqual([]);
    let item = commentItem(page, posted.id);
    expect(item).toContain('<strong>there</strong>');
    expect(item).toContain('&lt;script&gt;');
    expect(page).not.toContain('<script>alert');
    expect(item).not.toMatch(/<a [^>]*href="javascript:/);
    expect(item).toContain(`<label for="edit-${posted.id}">Edit your comment</label>`);
    expect(item).toContain(`action="${WATCH}/comments/${posted.id}/delete"`);
    expect(item).not.toContain('/report"'); // nobody reports their own comment
    expect(item).toContain('aria-pressed="false">Like</button>');

    const reply = await submit(cookie, `${WATCH}/comments/${posted.id}/reply`, { text: 'A reply' });
    expect(reply.res.status).toBe(303);
    page = (await watch()).page;
    expect(page).toContain(
      `<ol class="replies" aria-label="Replies to comment ${posted.id}"><li id="comment-${reply.id}"`,
    );

    expect((await submit(cookie, `${WATCH}/comments/${posted.id}/like`, { rating: 'like' })).res.status).toBe(
      303,
    );
    item = commentItem((await watch(cookie)).page, posted.id);
    expect(item).toContain('1 like');
    expect(item).toContain('aria-pressed="true">Like</button>');
    expect(item).toContain('<input type="hidden" name="rating" value="none"/>');

    expect(
      (await submit(cookie, `${WATCH}/comments/${posted.id}/edit`, { text: 'Edited *now*' })).res.status,
    ).toBe(303);
    expect(commentItem((await watch()).page, posted.id)).toContain('Edited <em>now</em>');

    expect((await submit(cookie, `${WATCH}/comments/${posted.id}/delete`, {})).res.status).toBe(303);
    page = (await watch()).page;
    expect(commentItem(page, posted.id)).toContain('This comment was deleted.');
    expect(page).toContain('A reply'); // the reply keeps its place under the tombstone
  });

  it('shows the reason when the API refuses, and refuses forms from other sites', async () => {
    const cookie = await signIn('other');
    const empty = await postForm(`${WATCH}/comments`, { text: '   ' }, { cookie });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Write something first');
    const crossSite = await postForm(
      `${WATCH}/comments`,
      { text: 'hi' },
      { cookie, origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    const anonymous = await postForm(`${WATCH}/comments`, { text: 'hi' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(WATCH)}`);
  });

  it("gives the video's owner delete controls on others' comments", async () => {
    const other = await signIn('other');
    const posted = await submit(other, `${WATCH}/comments`, { text: 'owner may remove this' });
    const item = commentItem((await watch(await signIn('owner'))).page, posted.id);
    expect(item).toContain(`action="${WATCH}/comments/${posted.id}/delete"`);
    expect(item).toContain(`<label for="report-${posted.id}">`);
    expect(item).not.toContain(`edit-${posted.id}`);
  });
});

/** Change the video's comment policy as its owner, through the edge's API (cookie bridge). */
async function setPolicy(owner: string, commentsPolicy: string) {
  const res = await web(`/api/v1/videos/${VIDEO}`, {
    method: 'PATCH',
    headers: { cookie: owner, origin: BASE, 'content-type': 'application/json' },
    body: JSON.stringify({ commentsPolicy }),
  });
  expect(res.status).toBe(200);
}

describe('comment policies on the watch page', () => {
  it('says when comments are off and shows the refusal, then holds comments for approval', async () => {
    const owner = await signIn('owner');
    const other = await signIn('other');
    try {
      await setPolicy(owner, 'disabled');
      let { page } = await watch(other);
      expect(page).toContain('Comments are turned off for this video.');
      expect(page).not.toContain('id="new-comment"');
      const refused = await postForm(`${WATCH}/comments`, { text: 'still trying' }, { cookie: other });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Comments are disabled on this video');

      await setPolicy(owner, 'approval');
      page = (await watch(other)).page;
      expect(page).toContain('Comments on this video appear once its owner approves them.');
      const held = await submit(other, `${WATCH}/comments`, { text: 'waiting for the owner' });
      expect(held.res.status).toBe(303);
      expect(commentItem((await watch(other)).page, held.id)).toContain('Awaiting approval');
      expect(commentItem((await watch()).page, held.id)).toBe('');
      const ownerItem = commentItem((await watch(owner)).page, held.id);
      expect(ownerItem).toContain(`action="${WATCH}/comments/${held.id}/approve"`);
      expect((await submit(owner, `${WATCH}/comments/${held.id}/approve`, {})).res.status).toBe(303);
      expect(commentItem((await watch()).page, held.id)).toContain('waiting for the owner');
    } finally {
      await setPolicy(owner, 'enabled');
    }
  });
});

describe('reports', () => {
  it('takes a report from the watch page into the admin queue, where an admin acts on it', async () => {
    const owner = await signIn('owner'); // the first account of the instance: its admin
    const other = await signIn('other');
    const posted = await submit(owner, `${WATCH}/comments`, { text: 'Reported words' });
    const reported = await postForm(
      `${WATCH}/comments/${posted.id}/report`,
      { reason: 'This is rude' },
      { cookie: other },
    );
    expect(reported.status).toBe(200);
    expect(await reported.text()).toContain('the moderators will look at your report');

    const refused = await web('/admin/reports', { headers: { cookie: other } });
    expect(refused.status).toBe(403);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('Only admins can see reports');
    // Only an admin's header links to the queue.
    expect(refusedPage).not.toContain('<a href="/admin/reports">Reports</a>');

    const queue = await web('/admin/reports', { headers: { cookie: owner } });
    expect(queue.status).toBe(200);
    const page = await queue.text();
    expect(page).toContain('<a href="/admin/reports">Reports</a>');
    expect(unlabelledControls(page)).toEqual([]);
    expect(page).toContain('This is rude');
    expect(page).toContain('<blockquote class="reported-text">Reported words</blockquote>');
    const id = Number(/<li class="report" id="report-(\d+)">(?:(?!<\/li>).)*Reported words/s.exec(page)?.[1]);
    expect(id).toBeGreaterThan(0);

    const act = await postForm(
      `/admin/reports/${id}`,
      { state: '3', from: '1', moderationComment: 'gone', deleteTarget: '1' },
      { cookie: owner },
    );
    expect(act.status).toBe(303);
    expect(act.headers.get('location')).toBe('/admin/reports?state=1');
    expect(await (await web('/admin/reports', { headers: { cookie: owner } })).text()).not.toContain(
      `id="report-${id}"`,
    );
    const accepted = await (await web('/admin/reports?state=3', { headers: { cookie: owner } })).text();
    expect(accepted).toContain(`id="report-${id}"`);
    expect(accepted).toContain('(deleted)');
    expect(commentItem((await watch()).page, posted.id)).toBe('');
    expect((await web('/admin/reports')).status).toBe(303);
  });

  it('reports the video itself from its watch page', async () => {
    const other = await signIn('other');
    const { page } = await watch(other);
    expect(page).toContain(`<form method="post" action="${WATCH}/report" class="stack">`);
    expect(page).toContain('<label for="report-video">What is wrong with this video?</label>');
    const sent = await postForm(`${WATCH}/report`, { reason: 'Misleading title here' }, { cookie: other });
    expect(sent.status).toBe(200);
    const queue = await (await web('/admin/reports', { headers: { cookie: await signIn('owner') } })).text();
    expect(queue).toContain('Misleading title here');
    const tooShort = await postForm(`${WATCH}/report`, { reason: 'x' }, { cookie: other });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain('Say what is wrong');
  });
});

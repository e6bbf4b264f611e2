import { describe, expect, it } from 'vitest';
import { BASE, postForm, signIn, unlabelledControls, WEB, web } from '../../test/web-client.js';

const page = async (path: string, cookie?: string) => {
  const res = await web(path, cookie ? { headers: { cookie } } : {});
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};
const idFrom = (location: string | null) => /\/p\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

describe('web pages: search', () => {
  it('puts a labelled search box in the header of every page', async () => {
    const { html } = await page('/');
    expect(html).toContain('<search class="search-box"><form method="get" action="/search">');
    expect(html).toContain(
      '<label for="site-search" class="visually-hidden">Search videos and channels</label>',
    );
    expect(unlabelledControls(html)).toEqual([]);
  });

  it('shows matching videos and channels, escaped, keeping the terms in the box', async () => {
    const { status, html } = await page('/search?search=encod');
    expect(status).toBe(200);
    expect(html).toContain('Results for “encod”');
    expect(html).toContain(`href="/w/${WEB.videos.encoding}"`);
    expect(html).toContain('value="encod"');
    const channels = await page('/search?search=web');
    expect(channels.html).toContain(`href="/c/${WEB.owner.handle}"`);
    expect(channels.html).toContain('Web &lt;Studio&gt;');
    const viaQ = await page('/search?q=encod');
    expect(viaQ.html).toContain(`href="/w/${WEB.videos.encoding}"`);
  });

  it("never shows another user's private video; its owner finds it", async () => {
    expect((await page('/search?search=private')).html).not.toContain(WEB.videos.private);
    expect((await page('/search?search=private', await signIn('other'))).html).not.toContain(
      WEB.videos.private,
    );
    expect((await page('/search?search=private', await signIn('owner'))).html).toContain(
      `href="/w/${WEB.videos.private}"`,
    );
  });

  it('says when nothing matches, and answers 400 for a cursor that is not one', async () => {
    expect((await page('/search?search=zzzznothing')).html).toContain('No video matches this search.');
    expect((await page('/search?search=x&cursor=bogus')).status).toBe(400);
  });
});

describe('web pages: playlists', () => {
  it('sends signed-out visitors to sign in, and refuses a form from another site', async () => {
    const mine = await page('/playlists');
    expect(mine.status).toBe(303);
    expect(mine.location).toBe('/login?next=%2Fplaylists');
    const cookie = await signIn('owner');
    const foreign = await web('/playlists', {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'displayName=Evil',
    });
    expect(foreign.status).toBe(403);
  });

  it('lists watch later, creates a playlist, saves videos from the watch page, reorders and removes', async () => {
    const cookie = await signIn('owner');
    const mine = await page('/playlists', cookie);
    expect(mine.status).toBe(200);
    expect(mine.html).toContain('Watch later');
    expect(unlabelledControls(mine.html)).toEqual([]);

    const invalid = await postForm('/playlists', { displayName: '  ', privacy: 'public' }, { cookie });
    expect(invalid.status).toBe(400);
    const created = await postForm(
      '/playlists',
      { displayName: 'Road <trip>', privacy: 'unlisted' },
      { cookie },
    );
    expect(created.status).toBe(303);
    const id = idFrom(created.headers.get('location'));
    expect(id).not.toBe('');

    const watch = await page(`/w/${WEB.videos.ready}`, cookie);
    expect(watch.html).toContain('<summary>Save to playlist</summary>');
    expect(watch.html).toContain(`action="/p/${id}/videos"`);
    expect(watch.html).toContain('Road &lt;trip&gt;');
    expect(watch.html).toMatch(/<p class="view-count" data-view-count="true">\d+ views?<\/p>/);
    expect(watch.html).toContain('<script src="/static/views.js"></script>');

    for (const videoId of [WEB.videos.ready, WEB.videos.encoding]) {
      const saved = await postForm(`/p/${id}/videos`, { videoId, next: `/w/${videoId}` }, { cookie });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe(`/w/${videoId}?saved=${id}`);
    }
    const savedPage = (await page(`/w/${WEB.videos.encoding}?saved=${id}`, cookie)).html;
    expect(savedPage).toContain('Saved to Road &lt;trip&gt;.');
    // Already in that playlist: the menu links to it instead of offering to add it again.
    expect(savedPage).toContain(`<a href="/p/${id}">Road &lt;trip&gt; (saved)</a>`);
    expect(savedPage).not.toContain(`action="/p/${id}/videos"`);

    const order = async () =>
      [...(await page(`/p/${id}`, cookie)).html.matchAll(/<li><a href="\/w\/([0-9a-f-]{36})"/g)].map(
        (m) => m[1],
      );
    expect(await order()).toEqual([WEB.videos.ready, WEB.videos.encoding]);
    expect((await postForm(`/p/${id}/move`, { position: '2', after: '0' }, { cookie })).status).toBe(303);
    expect(await order()).toEqual([WEB.videos.encoding, WEB.videos.ready]);

    const view = await page(`/p/${id}`, cookie);
    expect(view.html).toContain('<h1 id="playlist-heading">Road &lt;trip&gt;</h1>');
    const elementId = /name="elementId" value="(\d+)"/.exec(view.html)?.[1] ?? '';
    expect((await postForm(`/p/${id}/remove`, { elementId }, { cookie })).status).toBe(303);
    expect(await order()).toEqual([WEB.videos.ready]);

    // Unlisted: anyone with the link sees it, without the owner's controls.
    const visitor = await page(`/p/${id}`);
    expect(visitor.status).toBe(200);
    expect(visitor.html).not.toContain('name="elementId"');
  });

  it("answers 404 for someone else's private playlist, and refuses saving to it", async () => {
    const owner = await signIn('owner');
    const created = await postForm(
      '/playlists',
      { displayName: 'Mine only', privacy: 'private' },
      { cookie: owner },
    );
    const id = idFrom(created.headers.get('location'));
    const other = await signIn('other');
    expect((await page(`/p/${id}`, other)).status).toBe(404);
    expect((await page(`/p/${id}`)).status).toBe(404);
    const refused = await postForm(
      `/p/${id}/videos`,
      { videoId: WEB.videos.ready, next: '/' },
      { cookie: other },
    );
    expect(refused.status).toBe(404);
    expect((await page('/p/not-a-playlist')).status).toBe(404);
  });

  it('asks signed-out viewers of the watch page to sign in to save', async () => {
    const { html } = await page(`/w/${WEB.videos.ready}`);
    expect(html).toContain('to save this video to a playlist.');
    expect(html).not.toContain('<summary>Save to playlist</summary>');
  });
});

describe('web pages: history', () => {
  it('records a view reported by the player, then pauses, resumes and clears the history', async () => {
    const cookie = await signIn('newcomer');
    const reported = await web(`/api/v1/videos/${WEB.videos.ready}/views`, {
      method: 'POST',
      headers: { cookie, origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ currentTime: 42, viewEvent: 'watch' }),
    });
    expect(reported.status).toBe(204);
    // The origin writes history in batches (every 5 s in the test origin).
    let history = await page('/history', cookie);
    for (let i = 0; i < 40 && !history.html.includes(WEB.videos.ready); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      history = await page('/history', cookie);
    }
    expect(history.html).toContain(`href="/w/${WEB.videos.ready}"`);
    expect(history.html).toContain('stopped at 0:42');
    expect(history.html).toContain('Your history is on.');

    expect((await postForm('/history/pause', { enabled: 'false' }, { cookie })).status).toBe(303);
    const paused = await page('/history', cookie);
    expect(paused.html).toContain('Your history is paused');
    expect(paused.html).toContain('Resume history');
    await postForm('/history/pause', { enabled: 'true' }, { cookie });
    expect((await postForm('/history/clear', {}, { cookie })).status).toBe(303);
    const cleared = await page('/history', cookie);
    expect(cleared.html).toContain('Nothing watched yet.');
    expect(cleared.html).toContain('Your history is on.');
    expect((await page('/history')).status).toBe(303);
  });
});

import { describe, expect, it } from 'vitest';
import { signIn, WEB, web } from '../../test/web-client.js';

async function watch(id: string, cookie?: string) {
  const res = await web(`/w/${id}`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, page: await res.text() };
}

describe('watch page', () => {
  it('renders the player for a ready video, with its controls labelled and details escaped', async () => {
    const { status, page } = await watch(WEB.videos.ready);
    expect(status).toBe(200);
    expect(page).toContain(`data-player="true" data-video-id="${WEB.videos.ready}"`);
    expect(page).toContain('<label for="quality">Quality</label>');
    expect(page).toContain('<select id="quality" disabled="">');
    expect(page).toContain('<option value="-1">Auto</option>');
    expect(page).toContain('aria-label="Seek"');
    expect(page).toContain('<legend class="visually-hidden">Player controls</legend>');
    expect(page).toContain('<h1 id="video-title">&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('About the ready video');
    expect(page).toContain('<span data-duration="true">1:05</span>');
    const scripts = [...page.matchAll(/<script defer="" src="([^"]+)"/g)].map((m) => m[1]);
    // chat.js: the chat replay beside the player (shown only when the video was a live with messages).
    expect(scripts).toEqual([
      '/static/vendor/hls.min.js',
      '/static/player.js',
      '/static/watch.js',
      '/static/chat.js',
    ]);
  });

  it('plays a ready video still encoding its ladder, and says higher qualities are coming', async () => {
    const { status, page } = await watch(WEB.videos.encoding);
    expect(status).toBe(200);
    expect(page).toContain(`data-player="true" data-video-id="${WEB.videos.encoding}"`);
    expect(page).toContain(
      `<p class="notice" role="status" data-ladder-status="true" data-video-id="${WEB.videos.encoding}">` +
        'Higher qualities are still being prepared (40%)</p>',
    );
    const scripts = [...page.matchAll(/<script defer="" src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([
      '/static/vendor/hls.min.js',
      '/static/player.js',
      '/static/progress.js',
      '/static/watch.js',
      '/static/chat.js',
    ]);
    // A video whose ladder landed has no such notice.
    expect((await watch(WEB.videos.ready)).page).not.toContain('data-ladder-status');
  });

  it('tells the owner a ladder failed after fast first play, with its reason and every attempt', async () => {
    const { status, page } = await watch(WEB.videos.ladderFailed, await signIn('owner'));
    expect(status).toBe(200);
    expect(page).toContain(`data-player="true" data-video-id="${WEB.videos.ladderFailed}"`);
    expect(page).toContain(
      `<p class="notice notice-error" role="alert" data-ladder-failed="true" data-video-id="${WEB.videos.ladderFailed}">` +
        'Higher qualities could not be prepared: The storage is read-only (while storing init.mp4)</p>',
    );
    expect(page).not.toContain('data-ladder-status');
    expect(page).toContain('<p role="status" data-retry-status="true">All 2 attempts failed.</p>');
    expect(page).toContain(
      '<li data-attempt="2">Attempt 2 (2031-01-02 03:00:10 UTC): The storage is read-only (while storing init.mp4)</li>',
    );
  });

  it('shows a retrying video’s attempt count, next try and the reason of the failed attempt', async () => {
    const { status, page } = await watch(WEB.videos.retrying, await signIn('owner'));
    expect(status).toBe(200);
    expect(page).toContain('data-processing="true"');
    expect(page).toContain(
      '<p role="status" data-retry-status="true">Attempt 1 of 6 failed; the next one starts after 2031-01-02 03:04:05 UTC.</p>',
    );
    expect(page).toContain(
      '<li data-attempt="1">Attempt 1 (2031-01-02 03:03:55 UTC): The storage is full (while storing seg_00001.m4s)</li>',
    );
    // A video that never failed shows no attempts.
    expect((await watch(WEB.videos.processing)).page).not.toContain('data-retries');
  });

  it('shows live progress for a video still processing', async () => {
    const { status, page } = await watch(WEB.videos.processing);
    expect(status).toBe(200);
    expect(page).toContain(`data-processing="true" data-video-id="${WEB.videos.processing}"`);
    expect(page).toContain('<label for="processing-progress">Processing progress</label>');
    expect(page).toContain('<progress id="processing-progress" max="100" value="40">');
    expect(page).toContain('Transcoding: 40%');
    expect(page).not.toContain('data-player');
    expect(page).toContain('<script defer="" src="/static/progress.js"></script>');
  });

  it('shows why a failed video cannot be played', async () => {
    const { status, page } = await watch(WEB.videos.failed);
    expect(status).toBe(200);
    expect(page).toContain('This video could not be processed');
    expect(page).toContain('<strong>Reason:</strong> The file has no video stream');
    expect(page).not.toContain('data-player');
  });

  it('answers 404 for a private video, a missing one and a malformed id alike', async () => {
    for (const id of [WEB.videos.private, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const { status, page } = await watch(id);
      expect(status, id).toBe(404);
      expect(page).toContain('<h1 id="message-heading">Video not found</h1>');
      expect(page).toContain('is private');
    }
  });

  it('keeps a private video hidden from other signed-in users, and shows it to its owner', async () => {
    expect((await watch(WEB.videos.private, await signIn('other'))).status).toBe(404);
    const owner = await watch(WEB.videos.private, await signIn('owner'));
    expect(owner.status).toBe(200);
    expect(owner.page).toContain('<h1 id="video-title">private video</h1>');
  });

  it('asks for the password of a password video, with a labelled form', async () => {
    const { status, page } = await watch(WEB.videos.password);
    expect(status).toBe(200);
    expect(page).toContain('This video is protected by a password');
    expect(page).toContain(`data-password-form="true" data-video-id="${WEB.videos.password}"`);
    expect(page).toContain('<label for="video-password">Video password</label>');
    expect(page).toMatch(/<input[^>]*id="video-password"[^>]*required=""[^>]*type="password"/);
    // The player waits, hidden, for the password; its title is not revealed.
    expect(page).toMatch(/<div class="player" data-player="true" data-video-id="[^"]+" hidden="">/);
    expect(page).not.toContain('password video');
  });

  it('asks anonymous visitors of an internal video to sign in, and lets members watch', async () => {
    const anonymous = await watch(WEB.videos.internal);
    expect(anonymous.status).toBe(401);
    expect(anonymous.page).toContain('Sign in to watch this video');
    expect(anonymous.page).toContain(`href="/login?next=%2Fw%2F${WEB.videos.internal}"`);
    const member = await watch(WEB.videos.internal, await signIn('other'));
    expect(member.status).toBe(200);
    expect(member.page).toContain('data-player="true"');
  });
});

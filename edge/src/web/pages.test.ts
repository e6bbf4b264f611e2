import { describe, expect, it } from 'vitest';
import { signIn, unlabelledControls, WEB, web } from '../../test/web-client.js';

const html = async (res: Response) => {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
};

describe('web pages: shell and lists', () => {
  it('renders the home page with language, landmarks, a skip link and one stylesheet', async () => {
    const res = await web('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await html(res);
    expect(page.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(page).toContain('<title>Home · Vidra</title>');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(page).toMatch(/<header class="site-header">.*<nav aria-label="Main">/s);
    expect(page).toContain('<main id="main" tabindex="-1">');
    expect(page).toContain('<footer class="site-footer">');
    expect(page).toContain('<a class="skip-link" href="#main">');
    expect(page.match(/rel="stylesheet"/g)).toHaveLength(1);
    expect(page).toContain('<h1 id="latest-heading">Latest videos</h1>');
  });

  it('lists ready public videos only, escaping titles and channel names', async () => {
    const page = await html(await web('/'));
    expect(page).not.toContain('<script>alert');
    expect(page).toContain(
      '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;b&gt;friends&lt;/b&gt;',
    );
    expect(page).toContain('Web &lt;Studio&gt;');
    expect(page).toContain(`href="/w/${WEB.videos.ready}"`);
    expect(page).toMatch(/<time class="duration" datetime="PT1M5S">1:05<\/time>/);
    // A signed, thumbnail-only playback URL minted at the edge.
    expect(page).toMatch(/<img src="\/play\/[\w-]+\.[\w-]+\.[\w-]+\/thumbnail\.jpg" alt=""/);
    for (const hidden of ['processing', 'failed', 'private', 'password', 'internal'] as const) {
      expect(page).not.toContain(WEB.videos[hidden]);
    }
  });

  it('serves the signed thumbnail the list links to', async () => {
    const page = await html(await web('/'));
    const src = /<img src="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await web(src);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
  });

  it('shows a channel: escaped name and description, ready videos for visitors', async () => {
    const res = await web(`/c/${WEB.owner.handle}`);
    expect(res.status).toBe(200);
    const page = await html(res);
    expect(page).toContain('<title>Web &lt;Studio&gt; · Vidra</title>');
    expect(page).toContain(`@${WEB.owner.handle}`);
    expect(page).toContain('Tests &amp; more');
    expect(page).toContain(WEB.videos.ready);
    expect(page).not.toContain(WEB.videos.processing);
    expect(page).not.toContain('Upload a video');
  });

  it("shows the owner their channel's processing and failed videos, labelled", async () => {
    const cookie = await signIn('owner');
    const page = await html(await web(`/c/${WEB.owner.handle}`, { headers: { cookie } }));
    expect(page).toContain(`href="/w/${WEB.videos.processing}"`);
    expect(page).toContain('<span class="badge">Processing</span>');
    expect(page).toContain('<span class="badge">Failed</span>');
    expect(page).toContain('<span class="badge">private</span>');
    expect(page).toContain('Upload a video');
    expect(page).toContain(`Sign out <span class="username">@${WEB.owner.username}</span>`);
  });

  it('answers 404 with a page for an unknown channel', async () => {
    const res = await web('/c/nobody_here');
    expect(res.status).toBe(404);
    expect(await html(res)).toContain('<h1 id="message-heading">Channel not found</h1>');
  });
});

describe('web pages: forms', () => {
  it('labels every control of the sign-in and registration forms', async () => {
    for (const [path, title] of [
      ['/login', 'Sign in'],
      ['/register', 'Register'],
    ] as const) {
      const page = await html(await web(path));
      expect(page).toContain(`<title>${title} · Vidra</title>`);
      expect(page).toContain(`<form method="post" action="${path}"`);
      expect(unlabelledControls(page)).toEqual([]);
      expect(page).toContain('<label for="email">Email</label>');
      expect(page).toContain('<label for="password">Password</label>');
    }
    const register = await html(await web('/register'));
    expect(register).toMatch(/<input[^>]*id="username"[^>]*pattern="\[A-Za-z0-9_\]\+"/);
    expect(register).toMatch(
      /<input[^>]*id="password"[^>]*aria-describedby="password-hint"[^>]*minlength="10"/,
    );
  });

  it('sends signed-out visitors of /upload to sign in, and back', async () => {
    const res = await web('/upload');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fupload');
  });

  it('shows the upload form, fully labelled, to a user with a channel', async () => {
    const page = await html(await web('/upload', { headers: { cookie: await signIn('owner') } }));
    expect(page).toContain('<h1 id="upload-heading">Upload a video</h1>');
    for (const label of ['Video file', 'Title', 'Channel', 'Privacy', 'Video password', 'Upload progress']) {
      expect(page).toContain(`>${label}</label>`);
    }
    expect(unlabelledControls(page)).toEqual([]);
    expect(page).toContain('Web &lt;Studio&gt; (@');
    expect(page).toContain('<script defer="" src="/static/vendor/tus.min.js"></script>');
    expect(page).toContain('<script defer="" src="/static/upload.js"></script>');
  });

  it('asks a user without a channel to create one first, coming back to /upload', async () => {
    const page = await html(await web('/upload', { headers: { cookie: await signIn('newcomer') } }));
    expect(page).toContain('Create a channel first');
    expect(page).toContain('<form method="post" action="/channels/new"');
    expect(page).toContain('<input type="hidden" name="next" value="/upload"/>');
    expect(unlabelledControls(page)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, postForm, signIn, unlabelledControls, WEB, web } from '../../test/web-client.js';

const LIVE = `/channels/${WEB.liveHandle}/live`;

async function get(path: string, cookie?: string) {
  const res = await web(path, cookie ? { headers: { cookie } } : {});
  return { res, status: res.status, page: await res.text() };
}

/** The secret values a fresh-key page shows: the stream key and the full SRT URL. */
function secretsOf(page: string) {
  const value = (id: string) => new RegExp(`id="${id}"[^>]*value="([^"]+)"`).exec(page)?.[1];
  return { streamKey: value('stream-key'), srtUrl: value('srt-url') };
}

// One flow on purpose: a channel's key exists once, so create, reveal, rotate and settings follow
// each other on the same channel, as an owner would click through them.
describe('Go-live page', () => {
  it('sends signed-out visitors to sign in, and back', async () => {
    const { status, res } = await get(LIVE);
    expect(status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(LIVE)}`);
  });

  it('answers 404 to anyone but the owner, as for a channel that does not exist', async () => {
    const other = await signIn('other');
    for (const path of [LIVE, '/channels/nobody_here/live']) {
      const { status, page } = await get(path, other);
      expect(status, path).toBe(404);
      expect(page).toContain('<h1 id="message-heading">Channel not found</h1>');
    }
    // Nor can they make or rotate its key through the forms.
    for (const action of ['', '/key', '/settings']) {
      const res = await postForm(`${LIVE}${action}`, { ladder: 'source' }, { cookie: other });
      expect(res.status, action).toBe(404);
    }
  });

  it('refuses a cross-site form post', async () => {
    const owner = await signIn('owner');
    const res = await postForm(LIVE, {}, { cookie: owner, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form was sent from another site');
  });

  it('offers the owner to create a key, shows it once, hides it afterwards, and rotates it', async () => {
    const owner = await signIn('owner');
    const setup = await get(LIVE, owner);
    expect(setup.status).toBe(200);
    expect(setup.page).toContain('<h1 id="live-heading">Go live on Live &lt;Desk&gt;</h1>');
    expect(setup.page).toContain(`<form method="post" action="${LIVE}" class="inline-form">`);
    expect(setup.page).toContain('Create stream key');
    expect(setup.page).not.toContain('id="stream-key"');

    const created = await postForm(LIVE, {}, { cookie: owner });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const fresh = await created.text();
    const first = secretsOf(fresh);
    expect(first.streamKey).toMatch(/^[\w-]{20,}$/);
    expect(first.srtUrl).toMatch(/^srt:\/\/127\.0\.0\.1:\d+\?passphrase=/);
    // Hidden until revealed (a closed <details>), with the warning that it shows only once.
    expect(fresh).toMatch(/<details><summary>Reveal the stream key and the SRT URL<\/summary>/);
    expect(fresh).toContain('it is shown only this once');
    expect(fresh).toContain('id="rtmp-url"');
    expect(fresh).toContain(`value="${'rtmp://'}`);
    expect(unlabelledControls(fresh)).toEqual([]);

    // The page afterwards: where to publish, the 1 s keyframe advice, never the key again.
    const later = await get(LIVE, owner);
    expect(later.status).toBe(200);
    expect(later.page).not.toContain(first.streamKey);
    expect(later.page).not.toContain('passphrase=');
    expect(later.page).not.toContain('id="stream-key"');
    expect(later.page).toMatch(/<input id="rtmp-url" type="text" readonly="" value="rtmp:\/\/[^"]+\/live"/);
    expect(later.page).toMatch(
      /<input id="srt-address" type="text" readonly="" value="srt:\/\/127\.0\.0\.1:\d+"/,
    );
    expect(later.page).toMatch(
      /<input id="whip-url" type="text" readonly="" value="https:\/\/edge\.example\/whip"/,
    );
    expect(later.page).toContain('keyframe interval to <strong>1 second</strong>');
    expect(later.page).toContain('Not live.');
    expect(later.page).toContain(`<form method="post" action="${LIVE}/key"`);
    expect(unlabelledControls(later.page)).toEqual([]);

    // A second "create" (another tab) keeps the key and lands on the page.
    const again = await postForm(LIVE, {}, { cookie: owner });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(LIVE);

    const rotated = await postForm(`${LIVE}/key`, {}, { cookie: owner, referer: `${BASE}${LIVE}` });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const second = secretsOf(await rotated.text());
    expect(second.streamKey).toMatch(/^[\w-]{20,}$/);
    expect(second.streamKey).not.toBe(first.streamKey);
    expect((await get(LIVE, owner)).page).not.toContain(second.streamKey);
  });

  it("changes the live settings, and shows the API's field error next to the field", async () => {
    const owner = await signIn('owner');
    const before = (await get(LIVE, owner)).page;
    expect(before).toContain('<option value="source" selected="">');
    expect(before).toMatch(/<input type="checkbox" id="record" name="record" value="on" checked=""/);
    expect(before).toMatch(/id="dvrWindowSeconds"[^>]*value="1800"/);

    const saved = await postForm(
      `${LIVE}/settings`,
      { ladder: 'source+720p', dvrWindowSeconds: '600' },
      { cookie: owner },
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${LIVE}?saved=1`);
    const after = (await get(`${LIVE}?saved=1`, owner)).page;
    expect(after).toContain('Settings saved.');
    expect(after).toContain('<option value="source+720p" selected="">');
    expect(after).not.toMatch(/id="record"[^>]*checked/);
    expect(after).toMatch(/id="dvrWindowSeconds"[^>]*value="600"/);

    const refused = await postForm(
      `${LIVE}/settings`,
      { ladder: 'source', record: 'on', dvrWindowSeconds: '5' },
      { cookie: owner },
    );
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toMatch(/<input[^>]*id="dvrWindowSeconds"[^>]*aria-invalid="true"/);
    expect(page).toContain('<p class="field-error" id="dvrWindowSeconds-error">');
    // Nothing changed.
    expect((await get(LIVE, owner)).page).toMatch(/id="dvrWindowSeconds"[^>]*value="600"/);
  });

  it("is linked from the owner's channel page only", async () => {
    const href = `href="/channels/${WEB.owner.handle}/live"`;
    expect((await get(`/c/${WEB.owner.handle}`, await signIn('owner'))).page).toContain(href);
    expect((await get(`/c/${WEB.owner.handle}`)).page).not.toContain(href);
  });
});

describe('live videos in lists and on the watch page', () => {
  it('badges a live video on the home and channel pages, and lists no ended one', async () => {
    for (const path of ['/', `/c/${WEB.owner.handle}`]) {
      const { page } = await get(path);
      expect(page, path).toContain(`href="/w/${WEB.videos.live}"`);
      const card = page.slice(page.indexOf(`href="/w/${WEB.videos.live}"`));
      expect(card.slice(0, card.indexOf('</li>'))).toContain(
        '<span class="badge badge-live">Live now</span>',
      );
      expect(page, path).not.toContain(WEB.videos.ended);
    }
    // A ready video has no live badge.
    const home = (await get('/')).page;
    const ready = home.slice(home.indexOf(`href="/w/${WEB.videos.ready}"`));
    expect(ready.slice(0, ready.indexOf('</li>'))).not.toContain('badge-live');
  });

  it('plays a live video in live mode: latency, back to live, no duration', async () => {
    const { status, page } = await get(`/w/${WEB.videos.live}`);
    expect(status).toBe(200);
    expect(page).toContain(`data-player="true" data-video-id="${WEB.videos.live}" data-live="true"`);
    expect(page).toContain('<span class="badge badge-live">Live</span>');
    expect(page).toContain('Latency: <span data-latency-value="true">');
    expect(page).toContain('<button type="button" data-action="live-edge" disabled="">Back to live</button>');
    expect(page).not.toContain('data-duration');
    expect(page).toContain(`data-live-status="true" data-video-id="${WEB.videos.live}"`);
    // The player, and progress.js to notice the end of the stream, before watch.js starts them.
    expect(page).toMatch(
      /src="\/static\/vendor\/hls\.min\.js".*src="\/static\/player\.js".*src="\/static\/progress\.js".*src="\/static\/watch\.js"/s,
    );
    // A video on demand keeps its duration and has no live controls.
    const ready = (await get(`/w/${WEB.videos.ready}`)).page;
    expect(ready).not.toContain('data-live');
    expect(ready).not.toContain('Back to live');
  });

  it('says a live has ended instead of showing a player', async () => {
    const { status, page } = await get(`/w/${WEB.videos.ended}`, await signIn('owner'));
    expect(status).toBe(200);
    expect(page).toContain('This live stream has ended.');
    expect(page).not.toContain('data-player');
  });
});

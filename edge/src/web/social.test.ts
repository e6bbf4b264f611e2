import { describe, expect, it } from 'vitest';
import { postForm, signIn, unlabelledControls, WEB, web } from '../../test/web-client.js';

const page = async (path: string, cookie?: string) => {
  const res = await web(path, cookie ? { headers: { cookie } } : {});
  expect(res.status).toBe(200);
  return res.text();
};
const likeButton = (html: string) =>
  /<button[^>]*class="reaction"[^>]*>Like <span class="count">(\d+)<\/span>/.exec(html);

describe('web: reactions, subscriptions and notifications', () => {
  it('shows counts and sign-in links to visitors on the watch and channel pages', async () => {
    const watch = await page(`/w/${WEB.videos.ready}`);
    expect(watch).toMatch(/<p class="reactions"><span>\d+ likes?<\/span>/);
    expect(watch).toContain(
      `href="/login?next=${encodeURIComponent(`/w/${WEB.videos.ready}`)}">Sign in to rate</a>`,
    );
    expect(watch).toContain('Sign in to subscribe');
    const channel = await page(`/c/${WEB.owner.handle}`);
    expect(channel).toMatch(/<span class="followers">\d+ subscribers?<\/span>/);
    expect(channel).not.toContain('/feed/subscriptions');
    expect(channel).not.toContain('href="/notifications"');
  });

  it('likes with a plain form, shows the choice pressed, and takes it back', async () => {
    const cookie = await signIn('other');
    const path = `/w/${WEB.videos.ready}`;
    const before = Number(likeButton(await page(path, cookie))?.[1]);
    const liked = await postForm(`${path}/rate`, { rating: 'like' }, { cookie });
    expect(liked.status).toBe(303);
    expect(liked.headers.get('location')).toBe(path);
    const after = await page(path, cookie);
    expect(after).toContain('aria-pressed="true" class="reaction">Like');
    expect(after).toContain('name="rating" value="none"');
    expect(Number(likeButton(after)?.[1])).toBe(before + 1);
    expect(unlabelledControls(after)).toEqual([]);
    await postForm(`${path}/rate`, { rating: 'none' }, { cookie });
    expect(Number(likeButton(await page(path, cookie))?.[1])).toBe(before);
  });

  it('refuses a rating from another site, of a video the viewer may not see, and when signed out', async () => {
    const cookie = await signIn('other');
    const forged = await web(`/w/${WEB.videos.ready}/rate`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'rating=like',
    });
    expect(forged.status).toBe(403);
    expect((await postForm(`/w/${WEB.videos.private}/rate`, { rating: 'like' }, { cookie })).status).toBe(
      404,
    );
    const anonymous = await postForm(`/w/${WEB.videos.ready}/rate`, { rating: 'like' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it('subscribes from the channel page, then the feed lists the channel’s videos', async () => {
    const cookie = await signIn('newcomer');
    const channelPath = `/c/${WEB.owner.handle}`;
    const before = await page(channelPath, cookie);
    expect(before).toContain('>Subscribe</button>');
    const count = Number(/(\d+) subscribers?/.exec(before)?.[1]);
    const done = await postForm(
      `${channelPath}/subscription`,
      { action: 'subscribe', next: channelPath },
      { cookie },
    );
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(channelPath);
    const after = await page(channelPath, cookie);
    expect(after).toContain('aria-pressed="true">Unsubscribe</button>');
    expect(after).toContain(`${count + 1} subscriber`);

    const feed = await page('/feed/subscriptions', cookie);
    expect(feed).toContain('<h1 id="feed-heading">Subscriptions</h1>');
    expect(feed).toContain(`href="/w/${WEB.videos.ready}"`);
    expect(feed).not.toContain(WEB.videos.private);
    expect(feed).not.toContain(WEB.videos.processing);
    expect(feed).toContain('href="/feed/subscriptions"'); // the header link, signed in

    await postForm(
      `${channelPath}/subscription`,
      { action: 'unsubscribe', next: '/feed/subscriptions' },
      { cookie },
    );
    expect(await page('/feed/subscriptions', cookie)).toContain('No new videos from your subscriptions.');
  });

  it('sends signed-out visitors of the feed and the notifications to sign in', async () => {
    for (const path of ['/feed/subscriptions', '/notifications']) {
      const res = await web(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('shows the unread count in the header bell and marks notices read', async () => {
    const cookie = await signIn('other');
    const home = await page('/', cookie);
    expect(home).toMatch(/<a href="\/notifications" class="bell" aria-label="Notifications, \d+ unread">/);
    const list = await page('/notifications', cookie);
    expect(list).toContain('<h1 id="notifications-heading">Notifications</h1>');
    // The seeded notice names the channel and links the video, its hostile title as text.
    expect(list).toContain('Web &lt;Studio&gt; published');
    expect(list).toContain(`href="/w/${WEB.videos.ready}"`);
    expect(list).not.toContain('<script>alert');
    expect(list).toContain('<span class="visually-hidden">Unread: </span>');
    const id = /name="id" value="(\d+)"/.exec(list)?.[1] ?? '';
    expect(id).not.toBe('');
    const read = await postForm('/notifications/read', { id }, { cookie });
    expect(read.status).toBe(303);
    expect(read.headers.get('location')).toBe('/notifications');
    const all = await postForm('/notifications/read', { all: 'true' }, { cookie });
    expect(all.status).toBe(303);
    const after = await page('/notifications', cookie);
    expect(after).not.toContain('Mark all read');
    expect(after).toContain('<a href="/notifications" class="bell" aria-label="Notifications">');
  });

  it('saves per-kind settings from checkboxes, in the app and by email', async () => {
    const cookie = await signIn('other');
    const before = await page('/notifications', cookie);
    expect(before).toContain('<legend>Replies to my comments</legend>');
    expect(before).toMatch(/id="ns-commentMention-web" name="commentMention.web" value="on" checked=""/);
    expect(before).not.toMatch(/id="ns-commentMention-email"[^>]*checked/);
    expect(unlabelledControls(before)).toEqual([]);
    const saved = await postForm(
      '/notifications/settings',
      { 'commentMention.email': 'on', 'myLiveStarted.web': 'on' },
      { cookie },
    );
    expect(saved.status).toBe(303);
    const after = await page('/notifications', cookie);
    expect(after).toMatch(/id="ns-commentMention-email"[^>]*checked/);
    expect(after).not.toMatch(/id="ns-commentMention-web"[^>]*checked/);
    expect(after).toMatch(/id="ns-myLiveStarted-web"[^>]*checked/);
    expect(after).not.toMatch(/id="ns-newVideoFromSubscription-web"[^>]*checked/);
  });
});

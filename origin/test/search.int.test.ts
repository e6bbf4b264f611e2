import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

describe.each(DRIVERS)('search on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let other: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;
  const ids: Record<string, string> = {};

  async function video(key: string, body: Record<string, unknown>) {
    const res = await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, ...body } });
    expect(res.status).toBe(201);
    ids[key] = res.body.video.id;
  }
  const titles = (res: { body: { data: Array<{ title: string }> } }) => res.body.data.map((v) => v.title);

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('owner');
    other = await t.signUp('other');
    const channel = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: {
        handle: `piano_${owner.userId.slice(0, 6)}`,
        displayName: 'Conservatoire Frédéric',
        description: 'Leçons',
      },
    });
    channelId = channel.body.id;
    await video('describedFirst', { title: 'Practice notes', description: 'An étude for the left hand' });
    await video('etude', { title: 'Étude in C', description: 'Chopin', tags: ['Romantic', 'piano'] });
    await video('private', { title: 'Étude secrète', privacy: 'private' });
    await video('unlisted', { title: 'Étude by link', privacy: 'unlisted' });
    await video('tagged', { title: 'Sunday recital', tags: ['Nocturne'] });
  });
  afterAll(() => t.close());

  it('finds "Étude" for etude and for the prefix ETU, accents and case folded', async () => {
    for (const search of ['etude', 'ETU', 'étu', 'Etude in']) {
      const res = await t.call('GET', `/api/v1/search/videos?search=${encodeURIComponent(search)}`);
      expect(res.status).toBe(200);
      expect(titles(res)).toContain('Étude in C');
    }
    const viaQ = await t.call('GET', '/api/v1/search/videos?q=etud');
    expect(titles(viaQ)).toContain('Étude in C');
  });

  it('ranks a title match over a description match, in the list envelope', async () => {
    const res = await t.call('GET', '/api/v1/search/videos?search=etude');
    expect(res.body).toMatchObject({ total: 2, nextCursor: null });
    expect(titles(res)).toEqual(['Étude in C', 'Practice notes']);
    expect(res.body.data[0]).toMatchObject({ id: ids.etude, tags: ['Romantic', 'piano'], views: 0 });
  });

  it("never returns another user's private or unlisted video; the owner finds their own", async () => {
    for (const token of [undefined, other.token]) {
      const res = await t.call('GET', '/api/v1/search/videos?search=etude', token ? { token } : {});
      expect(res.body.data.map((v: { id: string }) => v.id)).not.toContain(ids.private);
      expect(res.body.data.map((v: { id: string }) => v.id)).not.toContain(ids.unlisted);
      expect(res.body.total).toBe(2);
    }
    const mine = await t.call('GET', '/api/v1/search/videos?search=etude', { token: owner.token });
    expect(titles(mine)).toEqual(expect.arrayContaining(['Étude secrète', 'Étude by link']));
    expect(mine.body.total).toBe(4);
  });

  it('searches tags by word, and filters by tagsOneOf in any case', async () => {
    const byWord = await t.call('GET', '/api/v1/search/videos?search=noct');
    expect(titles(byWord)).toEqual(['Sunday recital']);
    const byTag = await t.call('GET', '/api/v1/search/videos?tagsOneOf=NOCTURNE&tagsOneOf=piano');
    expect(titles(byTag).sort()).toEqual(['Sunday recital', 'Étude in C']);
  });

  it('pages with start/count and with the cursor, and refuses bad input', async () => {
    const first = await t.call('GET', '/api/v1/search/videos?search=etude&count=1');
    expect(first.body).toMatchObject({ total: 2 });
    expect(titles(first)).toEqual(['Étude in C']);
    const next = await t.call(
      'GET',
      `/api/v1/search/videos?search=etude&count=1&cursor=${first.body.nextCursor}`,
    );
    expect(titles(next)).toEqual(['Practice notes']);
    expect(next.body.nextCursor).toBeNull();
    const offset = await t.call('GET', '/api/v1/search/videos?search=etude&start=1');
    expect(titles(offset)).toEqual(['Practice notes']);
    expect((await t.call('GET', '/api/v1/search/videos?search=x&cursor=bogus')).status).toBe(400);
    expect((await t.call('GET', '/api/v1/search/videos?count=101')).status).toBe(400);
    const syntax = await t.call('GET', `/api/v1/search/videos?search=${encodeURIComponent("'):* & !|")}`);
    expect(syntax.status).toBe(200);
  });

  it('refuses more than 5 tags or a one-letter tag, and updates tags', async () => {
    const many = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title: 'x', tags: ['aa', 'bb', 'cc', 'dd', 'ee', 'ff'] },
    });
    expect(many.status).toBe(400);
    const short = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title: 'x', tags: ['a'] },
    });
    expect(short.status).toBe(400);
    const updated = await t.call('PATCH', `/api/v1/videos/${ids.tagged}`, {
      token: owner.token,
      body: { tags: ['Berceuse'] },
    });
    expect(updated.body.tags).toEqual(['Berceuse']);
    expect(titles(await t.call('GET', '/api/v1/search/videos?search=berc'))).toEqual(['Sunday recital']);
    expect(titles(await t.call('GET', '/api/v1/search/videos?search=noct'))).toEqual([]);
  });

  it('finds channels by name, handle or description prefix', async () => {
    for (const search of ['frederic', 'CONSERV', 'lecons', 'piano_']) {
      const res = await t.call('GET', `/api/v1/search/video-channels?search=${search}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([channelId]);
      expect(res.body).toMatchObject({ total: 1, nextCursor: null });
    }
    const none = await t.call('GET', '/api/v1/search/video-channels?search=zzzz');
    expect(none.body).toEqual({ total: 0, data: [], nextCursor: null });
  });
});

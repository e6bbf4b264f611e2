import { describe, expect, it } from 'vitest';
import { PeerTubeActorSchema, PeerTubeVideoSchema } from './peertube-rules.js';
import { BASE, SAMPLE_VIDEO } from './sample-video.js';
import { buildVideoObject } from './video.js';

const ours = () => structuredClone(buildVideoObject(SAMPLE_VIDEO)) as Record<string, unknown>;
const rejects = (video: Record<string, unknown>) =>
  expect(PeerTubeVideoSchema.safeParse(video).success).toBe(false);

describe("PeerTube's rules for a remote Video", () => {
  it('accept our Video, public and unlisted, with and without content', () => {
    for (const privacy of ['public', 'unlisted'] as const) {
      for (const description of ['Boats.', '']) {
        const result = PeerTubeVideoSchema.safeParse(
          buildVideoObject({ ...SAMPLE_VIDEO, privacy, description }),
        );
        expect(result.error?.issues).toBeUndefined();
      }
    }
  });

  const planted: Array<[string, (v: Record<string, unknown>) => void]> = [
    ['not a Video', (v) => (v.type = 'Note')],
    ['an id that is not a URL', (v) => (v.id = 'watch/123')],
    ['an id with another scheme', (v) => (v.id = 'ftp://vidra.example/videos/watch/1')],
    ['an id past 2000 characters', (v) => (v.id = `${BASE}/${'a'.repeat(2000)}`)],
    ['a name under 3 characters', (v) => (v.name = 'ab')],
    ['a name over 120 characters', (v) => (v.name = 'x'.repeat(121))],
    ['a duration in minutes', (v) => (v.duration = 'PT1M33S')],
    ['a duration that is a number', (v) => (v.duration = 93)],
    ['no uuid', (v) => delete v.uuid],
    ['a uuid that is not one', (v) => (v.uuid = 'not-a-uuid')],
    ['negative views', (v) => (v.views = -1)],
    ['a bad published date', (v) => (v.published = 'yesterday')],
    ['a bad updated date', (v) => (v.updated = 'soon')],
    ['url not a list', (v) => (v.url = 'https://vidra.example/x')],
    ['no icon', (v) => (v.icon = [])],
    [
      'only an icon of the wrong type',
      (v) =>
        (v.icon = [{ type: 'Image', url: `${BASE}/t.svg`, mediaType: 'image/svg+xml', width: 1, height: 1 }]),
    ],
    [
      'only an icon without width',
      (v) => (v.icon = [{ type: 'Image', url: `${BASE}/t.jpg`, mediaType: 'image/jpeg', height: 1 }]),
    ],
    ['attributed to nobody', (v) => (v.attributedTo = [])],
    ['attributed to a non-URL', (v) => (v.attributedTo = [{ type: 'Person', id: 'alice' }])],
    ['content with an unknown mediaType', (v) => (v.mediaType = 'text/plain')],
    ['content under 3 characters', (v) => (v.content = 'hi')],
    ['an embedUrl that is not a URL', (v) => (v.embedUrl = 'embed me')],
    ['a to that is not a URL', (v) => (v.to = ['everyone'])],
  ];
  for (const [name, plant] of planted) {
    it(`reject ${name}`, () => {
      const video = ours();
      plant(video);
      rejects(video);
    });
  }

  it('filter out, rather than reject, bad tags and unknown url links, like PeerTube', () => {
    const video = ours();
    video.tag = [{ type: 'Hashtag', name: 'a' }, { type: 'Hashtag', name: 'fine' }, { type: 'Mention' }];
    (video.url as unknown[]).push({ type: 'Link', mediaType: 'application/x-bittorrent', href: 'nope' });
    const parsed = PeerTubeVideoSchema.parse(video);
    expect(parsed.tag).toEqual([{ type: 'Hashtag', name: 'fine' }]);
    expect(parsed.url).toHaveLength(2);
  });
});

const PEM = `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n-----END PUBLIC KEY-----\n`;
const actor = (): Record<string, unknown> => ({
  type: 'Group',
  id: `${BASE}/video-channels/alice_channel`,
  inbox: `${BASE}/video-channels/alice_channel/inbox`,
  outbox: `${BASE}/video-channels/alice_channel/outbox`,
  followers: `${BASE}/video-channels/alice_channel/followers`,
  following: `${BASE}/video-channels/alice_channel/following`,
  preferredUsername: 'alice_channel',
  endpoints: { sharedInbox: `${BASE}/inbox` },
  publicKey: {
    id: `${BASE}/video-channels/alice_channel#main-key`,
    owner: `${BASE}/video-channels/alice_channel`,
    publicKeyPem: PEM,
  },
  attributedTo: [{ type: 'Person', id: `${BASE}/accounts/alice` }],
});

describe("PeerTube's rules for a remote Actor", () => {
  it('accept a well-formed Group', () => {
    expect(PeerTubeActorSchema.safeParse(actor()).error?.issues).toBeUndefined();
  });

  const planted: Array<[string, (a: Record<string, unknown>) => void]> = [
    ['an unknown type', (a) => (a.type = 'Bot')],
    ['an id that is not a URL', (a) => (a.id = 'alice')],
    ['no inbox', (a) => delete a.inbox],
    ['a username with a space', (a) => (a.preferredUsername = 'alice channel')],
    ['a username with @', (a) => (a.preferredUsername = 'alice@host')],
    ['no public key', (a) => delete a.publicKey],
    [
      'a key that is not PEM',
      (a) => (a.publicKey = { ...(a.publicKey as object), publicKeyPem: 'ssh-rsa AAAA' }),
    ],
    ['a key owner that is not a URL', (a) => (a.publicKey = { ...(a.publicKey as object), owner: 'me' })],
    ['a shared inbox that is not a URL', (a) => (a.endpoints = { sharedInbox: 'inbox' })],
    ['an outbox that is not a URL', (a) => (a.outbox = 'out')],
    ['a followers collection that is not a URL', (a) => (a.followers = 'fans')],
    ['a Group attributed to nobody', (a) => (a.attributedTo = [])],
  ];
  for (const [name, plant] of planted) {
    it(`reject ${name}`, () => {
      const a = actor();
      plant(a);
      expect(PeerTubeActorSchema.safeParse(a).success).toBe(false);
    });
  }
});

describe("PeerTube's rules for a Person", () => {
  it('accept a Person with no attributedTo at all', () => {
    const person: Record<string, unknown> = { ...actor(), type: 'Person' };
    delete person.attributedTo;
    expect(PeerTubeActorSchema.safeParse(person).error?.issues).toBeUndefined();
  });
});

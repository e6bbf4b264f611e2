import { createHash, randomUUID, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { signRequest } from '@fedify/fedify';
import {
  genDigestHeaderBothRFC3230AndRFC9530,
  parseRequestSignature,
  RFC9421SignatureBaseFactory,
  signAsDraftToRequest,
  verifyDigestHeader,
  verifyDraftSignature,
} from '@misskey-dev/node-http-message-signatures';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, federationInbound, videos } from '../../db/schema/index.js';
import { queueToFollowers } from '../../origin/src/services/federation/deliver.js';
import { videoActivity, videoObjectOf } from '../../origin/src/services/federation/video-activities.js';
import { type RecordedRequest, startFakePeer, startFederatedOrigin } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: the library ships no types
const peertubeSignature: any = createRequire(import.meta.url)('@peertube/http-signature');

/** What PeerTube insists a signed POST covers (its HTTP_SIGNATURE.REQUIRED_HEADERS). */
const PEERTUBE_REQUIRED = ['(request-target)', 'host', 'digest'];
const AP = { accept: 'application/activity+json' };

let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
let peer: Awaited<ReturnType<typeof startFakePeer>>;
let channelUrl: string;
let handle: string;
let publicKeyPem: string;
let keyId: string;

beforeAll(async () => {
  origin = await startFederatedOrigin();
  // `modern`'s inbox answers 401 to draft-cavage: fedify must knock again with RFC 9421.
  peer = await startFakePeer(['classic', 'modern', 'pt', 'mk'], {
    answer: (r) => (r.path === '/users/modern/inbox' && !r.headers['signature-input'] ? 401 : 202),
  });
  const owner = await origin.signUp('sig');
  handle = `beacon_${randomUUID().slice(0, 6)}`;
  const created = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Beacon' },
  });
  expect(created.status).toBe(201);
  channelUrl = `${origin.publicUrl}/video-channels/${handle}`;
  const group = await (await fetch(channelUrl, { headers: AP })).json();
  publicKeyPem = group.publicKey.publicKeyPem;
  keyId = group.publicKey.id;
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  await origin?.stop();
});

const followOf = (name: string) => ({
  '@context': 'https://www.w3.org/ns/activitystreams',
  id: `${peer.actorId(name)}/follows/${randomUUID()}`,
  type: 'Follow',
  actor: peer.actorId(name),
  object: channelUrl,
});

/** A captured request, shaped as the Node IncomingMessage both libraries read. */
const incoming = (r: RecordedRequest) => ({
  method: r.method,
  url: r.path,
  headers: r.headers,
  httpVersion: '1.1',
});

/** Checks a draft-cavage delivery as PeerTube and Misskey do, Digest included. */
async function verifyCavage(r: RecordedRequest) {
  const request = incoming(r);
  const parsed = peertubeSignature.parseRequest(request, { clockSkew: 300, headers: PEERTUBE_REQUIRED });
  expect(parsed.keyId).toBe(keyId);
  expect(peertubeSignature.verifySignature(parsed, publicKeyPem)).toBe(true);
  // PeerTube checks Digest itself: SHA-256 of the raw body, base64.
  expect(r.headers.digest).toBe(`SHA-256=${createHash('sha256').update(r.body).digest('base64')}`);
  const misskey = parseRequestSignature(request as never);
  expect(misskey.version).toBe('draft');
  expect(await verifyDraftSignature(misskey.value as never, publicKeyPem)).toBe(true);
  expect(await verifyDigestHeader(request as never, r.body, true)).toBe(true);
  // The same verifiers refuse it once changed.
  expect(await verifyDigestHeader(request as never, `${r.body} `, true)).toBe(false);
  const date = new Date(Date.parse(String(r.headers.date)) - 1000).toUTCString();
  const forged = peertubeSignature.parseRequest(
    { ...request, headers: { ...r.headers, date } },
    { clockSkew: 300, headers: PEERTUBE_REQUIRED },
  );
  expect(peertubeSignature.verifySignature(forged, publicKeyPem)).toBe(false);
}

/**
 * Checks an RFC 9421 delivery. Misskey's library (0.0.10) builds the signature base but does not
 * parse RFC 9421 yet ("Not implemented"), so the RSA check over its base is WebCrypto's.
 */
async function verifyRfc9421(r: RecordedRequest) {
  const input = String(r.headers['signature-input']);
  const label = /^([\w-]+)=/.exec(input)?.[1] as string;
  expect(input).toContain(`keyid="${keyId}"`);
  expect(input).toMatch(/"@method" "@target-uri" "@authority" .*"content-digest"/);
  const base = new RFC9421SignatureBaseFactory(incoming(r) as never, 'http').generate(label);
  const signature = new RegExp(`${label}=:([^:]+):`).exec(String(r.headers.signature))?.[1] as string;
  expect(verify('sha256', Buffer.from(base), publicKeyPem, Buffer.from(signature, 'base64'))).toBe(true);
  expect(verify('sha256', Buffer.from(`${base} `), publicKeyPem, Buffer.from(signature, 'base64'))).toBe(
    false,
  );
  expect(await verifyDigestHeader(incoming(r) as never, r.body, true)).toBe(true);
  expect(await verifyDigestHeader(incoming(r) as never, `${r.body} `, true)).toBe(false);
}

async function postInbox(body: string, headers: Record<string, string>) {
  const response = await fetch(`${origin.publicUrl}/inbox`, { method: 'POST', headers, body });
  return response.status;
}

describe('our outgoing signatures, checked by the libraries PeerTube and Misskey verify with', () => {
  it('cavage Accept (fedify), RFC 9421 Accept after a 401 (fedify), and Create(Video) (our queue)', async () => {
    const inboxOf = (name: string) => peer.received.filter((r) => r.path === `/users/${name}/inbox`);
    // One at a time: once `modern` has needed RFC 9421, fedify starts with it for that whole origin.
    for (const name of ['classic', 'modern'] as const) {
      const follow = followOf(name);
      const signed = await signRequest(
        new Request(`${origin.publicUrl}/inbox`, {
          method: 'POST',
          headers: { 'content-type': 'application/activity+json' },
          body: JSON.stringify(follow),
        }),
        peer.keys[name]?.cryptoKey as CryptoKey,
        new URL(peer.keyId(name)),
        { spec: 'draft-cavage-http-signatures-12' },
      );
      expect((await fetch(signed)).status).toBe(202);
      await expect
        .poll(() => inboxOf(name).filter((r) => r.headers['signature-input'] || name === 'classic').length, {
          timeout: 15_000,
        })
        .toBe(1);
    }

    const [cavageAccept] = inboxOf('classic');
    expect(JSON.parse(cavageAccept?.body ?? '{}')).toMatchObject({ type: 'Accept', actor: channelUrl });
    expect(cavageAccept?.headers.host).toBe(new URL(peer.base).host);
    await verifyCavage(cavageAccept as RecordedRequest);
    const modernAccept = inboxOf('modern').find((r) => r.headers['signature-input']) as RecordedRequest;
    expect(JSON.parse(modernAccept.body)).toMatchObject({ type: 'Accept', actor: channelUrl });
    await verifyRfc9421(modernAccept);

    // A video's Create goes through our own queue (deliver.ts), to the followers' shared inbox.
    const [channel] = await origin.database.db.select().from(channels).where(eq(channels.handle, handle));
    const [video] = await origin.database.db
      .insert(videos)
      .values({
        channelId: channel?.id as string,
        title: 'Signal fires',
        state: 'ready',
        durationSeconds: 12,
      })
      .returning();
    const loaded = await videoObjectOf(origin.database.db, origin.publicUrl, video?.id as string);
    if (!loaded) throw new Error('no video');
    const create = videoActivity('Create', loaded, randomUUID());
    expect(await queueToFollowers(origin.database.db, loaded.sender, create)).toBe(1);
    await expect
      .poll(() => peer.received.filter((r) => r.path === '/inbox').length, { timeout: 15_000 })
      .toBe(1);
    const delivered = peer.received.find((r) => r.path === '/inbox') as RecordedRequest;
    expect(JSON.parse(delivered.body)).toMatchObject({ type: 'Create', id: create.id });
    await verifyCavage(delivered);
  }, 45_000);
});

/** A request object as @peertube/http-signature's signer wants it (an http.ClientRequest's surface). */
function clientRequest(path: string, headers: Record<string, string>) {
  return {
    method: 'POST',
    path,
    headers,
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
  };
}

const digestOf = (body: string) => `SHA-256=${createHash('sha256').update(body).digest('base64')}`;

describe('requests signed by those libraries, at our inbox', () => {
  it('accepts a Follow signed by @peertube/http-signature and refuses it tampered', async () => {
    const host = new URL(origin.publicUrl).host;
    const sign = (body: string) => {
      const request = clientRequest('/inbox', {
        host,
        'content-type': 'application/activity+json',
        digest: digestOf(body),
      });
      peertubeSignature.signRequest(request, {
        key: peer.keys.pt?.privatePem,
        keyId: peer.keyId('pt'),
        headers: ['(request-target)', 'host', 'date', 'digest'],
        authorizationHeaderName: 'Signature',
      });
      return request.headers;
    };
    const good = followOf('pt');
    const body = JSON.stringify(good);
    expect(await postInbox(body, sign(body))).toBe(202);

    const tampered = [followOf('pt'), followOf('pt'), followOf('pt')];
    const t0 = JSON.stringify(tampered[0]);
    const t1 = JSON.stringify(tampered[1]);
    const t2 = JSON.stringify(tampered[2]);
    const statuses = [
      // Body changed after signing: Digest no longer matches.
      await postInbox(t0.replace('Follow', 'Follow '), sign(t0)),
      // Body and Digest changed together: the signature covers the old Digest.
      await postInbox(t1.replace('Follow', 'Follow '), {
        ...sign(t1),
        digest: digestOf(t1.replace('Follow', 'Follow ')),
      }),
      // A signed header (Date) changed.
      await postInbox(t2, { ...sign(t2), date: new Date(Date.now() - 60_000).toUTCString() }),
    ];
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
    await expectLogged([good.id], tampered);
  }, 30_000);

  it('accepts a Follow signed by @misskey-dev/node-http-message-signatures and refuses it tampered', async () => {
    const host = new URL(origin.publicUrl).host;
    const sign = async (body: string, signedHost = host) => {
      const request = {
        method: 'POST',
        url: '/inbox',
        headers: {
          host: signedHost,
          date: new Date().toUTCString(),
          'content-type': 'application/activity+json',
        } as Record<string, string>,
      };
      await genDigestHeaderBothRFC3230AndRFC9530(request as never, body);
      await signAsDraftToRequest(
        request as never,
        { keyId: peer.keyId('mk'), privateKeyPem: peer.keys.mk?.privatePem as string },
        ['(request-target)', 'host', 'date', 'digest'],
      );
      return request.headers;
    };
    const good = followOf('mk');
    const body = JSON.stringify(good);
    expect(await postInbox(body, await sign(body))).toBe(202);

    const tampered = [followOf('mk'), followOf('mk'), followOf('mk')];
    const [t0, t1, t2] = tampered.map((f) => JSON.stringify(f)) as [string, string, string];
    const statuses = [
      await postInbox(t0.replace('Follow', 'Follow '), await sign(t0)),
      await postInbox(t1, await sign(t1, 'elsewhere.example')), // signed for another host
      // Signed as `mk` with `pt`'s key id: the signature does not verify against that key.
      await postInbox(t2, {
        ...(await sign(t2)),
        Signature: String((await sign(t2)).Signature).replace(peer.keyId('mk'), peer.keyId('pt')),
      }),
    ];
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
    await expectLogged([good.id], tampered);
  }, 30_000);
});

/**
 * The inbox logged exactly `accepted` (processed from the queue) and none of `refused`, and each
 * accepted Follow was answered with an Accept.
 */
async function expectLogged(accepted: string[], refused: { id: string }[]) {
  const logged = async () =>
    (
      await origin.database.db
        .select({ id: federationInbound.activityId })
        .from(federationInbound)
        .where(inArray(federationInbound.activityId, [...accepted, ...refused.map((r) => r.id)]))
    ).map((row) => row.id);
  await expect.poll(logged, { timeout: 10_000 }).toEqual(accepted);
  const answered = () =>
    peer.received
      .map((r) => JSON.parse(r.body))
      .filter((a) => a.type === 'Accept' && accepted.includes(a.object?.id ?? a.object)).length;
  await expect.poll(answered, { timeout: 10_000 }).toBe(accepted.length);
}

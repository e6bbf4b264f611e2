import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationFollowers, videos } from '../../db/schema/index.js';
import { recordEvent } from '../../origin/src/services/outbox/record.js';
import { PeerTubeVideoSchema } from '../../protocol/activitypub/peertube-rules.js';
import { startFederatedOrigin } from './support.js';

const PEER = fileURLToPath(new URL('./peer/peer.py', import.meta.url));

interface Received {
  verified: boolean;
  reason: string;
  type: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: the peer reports arbitrary activities
  activity: any;
}

/** Debian's python3 (with python3-httpsig), not a pyenv shim. */
async function startPythonPeer() {
  const child = spawn('/usr/bin/python3', [PEER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.json();
  };
  return {
    base,
    control,
    received: () => control('/control/received') as Promise<Received[]>,
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}

let origin: Awaited<ReturnType<typeof startFederatedOrigin>>;
let peer: Awaited<ReturnType<typeof startPythonPeer>>;
let handle: string;
let channelId: string;

beforeAll(async () => {
  [origin, peer] = await Promise.all([startFederatedOrigin(), startPythonPeer()]);
  const owner = await origin.signUp('py');
  handle = `lighthouse_${randomUUID().slice(0, 6)}`;
  const created = await origin.call('POST', '/api/v1/channels', {
    token: owner.token,
    body: { handle, displayName: 'Lighthouse' },
  });
  channelId = created.body.id;
}, 60_000);

afterAll(async () => {
  peer?.stop();
  await origin?.stop();
});

describe('the independent Python peer (python3-httpsig)', () => {
  it('completes Follow -> Accept -> Create, Update, Delete of a Video -> Undo, verified on both sides, within 5 s', async () => {
    const started = performance.now();
    const host = new URL(origin.publicUrl).host;
    const follow = await peer.control('/control/follow', { target: `acct:${handle}@${host}` });
    expect(follow.status).toBe(202); // our inbox verified the peer's signature and Digest

    const until = async (type: string, count = 1) =>
      expect
        .poll(async () => (await peer.received()).filter((r) => r.type === type).length, {
          timeout: 5000,
          interval: 50,
        })
        .toBeGreaterThanOrEqual(count);
    await until('Accept');

    // A video is published, renamed, then deleted: each an outbox event, as the services record them.
    const db = origin.database.db;
    const [video] = await db
      .insert(videos)
      .values({
        channelId,
        title: 'Beam at night',
        description: 'The light turns.',
        state: 'ready',
        durationSeconds: 2,
      })
      .returning();
    const videoId = video?.id as string;
    const ref = { videoId, channelId };
    await db.transaction((tx) =>
      recordEvent(tx, {
        type: 'video.published',
        payload: { ...ref, privacy: 'public', stage: 'preview', republished: false, assetVersion: 1 },
      }),
    );
    await until('Create');
    await db.update(videos).set({ title: 'Beam at dawn' }).where(eq(videos.id, videoId));
    await db.transaction((tx) =>
      recordEvent(tx, { type: 'video.updated', payload: { ...ref, privacy: 'public', changed: ['title'] } }),
    );
    await until('Update');
    await db.update(videos).set({ deletedAt: new Date(), state: 'deleted' }).where(eq(videos.id, videoId));
    await db.transaction((tx) => recordEvent(tx, { type: 'video.deleted', payload: ref }));
    await until('Delete');

    const undo = await peer.control('/control/undo', {});
    expect(undo.status).toBe(202);
    await expect
      .poll(
        async () =>
          (
            await db
              .select()
              .from(federationFollowers)
              .where(eq(federationFollowers.followerId, `${peer.base}/actor`))
          ).length,
        { timeout: 5000, interval: 50 },
      )
      .toBe(0);
    const elapsed = performance.now() - started;

    const all = await peer.received();
    // The channel also Announces its new video (as PeerTube's do), in no fixed order with the Create.
    const announces = all.filter((r) => r.type === 'Announce');
    expect(announces.map((r) => [r.verified, r.reason, r.activity.object])).toEqual([
      [true, 'ok', `${origin.publicUrl}/videos/watch/${videoId}`],
    ]);
    const received = all.filter((r) => r.type !== 'Announce');
    expect(received.map((r) => [r.type, r.verified, r.reason])).toEqual([
      ['Accept', true, 'ok'],
      ['Create', true, 'ok'],
      ['Update', true, 'ok'],
      ['Delete', true, 'ok'],
    ]);
    const [, create, update, del] = received;
    expect(PeerTubeVideoSchema.safeParse(create?.activity.object).error?.issues).toBeUndefined();
    expect(create?.activity.object).toMatchObject({ uuid: videoId, name: 'Beam at night', duration: 'PT2S' });
    expect(update?.activity.object.name).toBe('Beam at dawn');
    expect(del?.activity.object).toEqual({
      type: 'Tombstone',
      id: `${origin.publicUrl}/videos/watch/${videoId}`,
    });
    expect(elapsed).toBeLessThan(5000);
  }, 30_000);
});

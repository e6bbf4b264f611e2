import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import { liveEndpoints, liveSessions } from '../../../../db/schema/index.js';
import {
  type LiveEndpoint,
  type LiveIngestAnswer,
  LiveSettingsSchema,
  type LiveSrtListeners,
  type UpdateLiveSettingsInput,
  UpdateLiveSettingsInputSchema,
} from '../../../../protocol/live.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { hashSecret, newSecret } from '../../auth/opaque-tokens.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { ConflictError, NotFoundError, ServiceError } from '../../lib/errors.js';
import { type ChannelRow, findChannelByHandle } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { lowestFreePort } from './ports.js';
import { endExpiredSessions } from './sessions.js';
import { srtPassphrase } from './srt-passphrase.js';

export type LiveEndpointRow = typeof liveEndpoints.$inferSelect;

/**
 * The channel, when the viewer owns it. Anyone else, admins included (a stream key is the owner's
 * alone), gets the same 404 as for a channel that does not exist.
 */
async function ownedChannel(ctx: ServiceContext, viewer: Viewer, handle: string): Promise<ChannelRow> {
  const channel = await findChannelByHandle(ctx, handle).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!channel || channel.ownerId !== viewer.userId) throw new NotFoundError('Live endpoint');
  return channel;
}

async function endpointOf(ctx: ServiceContext, channelId: string): Promise<LiveEndpointRow | undefined> {
  const [row] = await ctx.db.select().from(liveEndpoints).where(eq(liveEndpoints.channelId, channelId));
  return row;
}

/** Fresh secrets of a key generation: a random stream key, and the SRT passphrase derived for it. */
function newSecrets(ctx: ServiceContext, channelId: string, generation: number) {
  const streamKey = newSecret();
  const passphrase = srtPassphrase(ctx.config.live.srtSecret, channelId, generation);
  return { streamKey, passphrase, keyHash: hashSecret(streamKey), srtPassphraseHash: hashSecret(passphrase) };
}

function ingestAnswer(
  ctx: ServiceContext,
  srtPort: number,
  secrets: { streamKey: string; passphrase: string },
): LiveIngestAnswer {
  const { rtmpUrl, srtHost } = ctx.config.live;
  return {
    ingest: {
      rtmpUrl,
      streamKey: secrets.streamKey,
      srtUrl: `srt://${srtHost}:${srtPort}?passphrase=${secrets.passphrase}`,
      ...(ctx.config.live.whipUrl ? { whipUrl: ctx.config.live.whipUrl } : {}),
    },
  };
}

/** How many times a create retries a port another origin took between the read and the insert. */
const PORT_RACE_RETRIES = 5;

/**
 * Give the channel a live endpoint: a stream key, an SRT passphrase and an SRT port of its own,
 * shown in this answer only. A channel that has one already gets 409 (rotate with `rotateLiveKey`),
 * so a repeated click never silently invalidates the key an encoder is using. 503 when every SRT
 * port of the range is held.
 */
export async function createLiveEndpoint(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
): Promise<LiveIngestAnswer> {
  const channel = await ownedChannel(ctx, viewer, handle);
  const exists = () => new ConflictError('This channel has a stream key already; rotate it instead');
  if (await endpointOf(ctx, channel.id)) throw exists();
  const { first, last } = ctx.config.live.srtPorts;
  for (let attempt = 0; attempt < PORT_RACE_RETRIES; attempt++) {
    const held = await ctx.db
      .select({ port: liveEndpoints.srtPort })
      .from(liveEndpoints)
      .where(and(gte(liveEndpoints.srtPort, first), lte(liveEndpoints.srtPort, last)));
    const srtPort = lowestFreePort(
      ctx.config.live.srtPorts,
      held.map((r) => r.port),
    );
    if (srtPort === undefined)
      throw new ServiceError('unavailable', 'Every SRT port of this instance is taken; ask the operator');
    const secrets = newSecrets(ctx, channel.id, 1);
    try {
      await ctx.db.insert(liveEndpoints).values({
        channelId: channel.id,
        keyHash: secrets.keyHash,
        srtPassphraseHash: secrets.srtPassphraseHash,
        keyGeneration: 1,
        srtPort,
        settings: LiveSettingsSchema.parse({}),
      });
      return ingestAnswer(ctx, srtPort, secrets);
    } catch (error) {
      const constraint = isUniqueViolation(error);
      if (constraint === 'live_endpoints_srt_port_key') continue;
      if (constraint === 'live_endpoints_pkey') throw exists();
      throw error;
    }
  }
  throw new ServiceError('unavailable', 'SRT ports are being taken concurrently; try again');
}

/** A new stream key and SRT passphrase; the old ones are refused from now on. Same SRT port. */
export async function rotateLiveKey(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
): Promise<LiveIngestAnswer> {
  const channel = await ownedChannel(ctx, viewer, handle);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(liveEndpoints)
      .where(eq(liveEndpoints.channelId, channel.id))
      .for('update');
    if (!current) throw new NotFoundError('Live endpoint');
    const keyGeneration = current.keyGeneration + 1;
    const secrets = newSecrets(ctx, channel.id, keyGeneration);
    await tx
      .update(liveEndpoints)
      .set({
        keyHash: secrets.keyHash,
        srtPassphraseHash: secrets.srtPassphraseHash,
        keyGeneration,
        keyRotatedAt: new Date(),
      })
      .where(eq(liveEndpoints.channelId, channel.id));
    return ingestAnswer(ctx, current.srtPort, secrets);
  });
}

async function describeEndpoint(ctx: ServiceContext, row: LiveEndpointRow): Promise<LiveEndpoint> {
  const [session] = await ctx.db
    .select({ videoId: liveSessions.videoId })
    .from(liveSessions)
    .where(and(eq(liveSessions.channelId, row.channelId), isNull(liveSessions.endedAt)));
  return {
    state: session ? 'live' : 'idle',
    videoId: session?.videoId ?? null,
    settings: LiveSettingsSchema.parse(row.settings),
    rtmpUrl: ctx.config.live.rtmpUrl,
    srtHost: ctx.config.live.srtHost,
    srtPort: row.srtPort,
    ...(ctx.config.live.whipUrl ? { whipUrl: ctx.config.live.whipUrl } : {}),
    createdAt: row.createdAt.toISOString(),
    keyRotatedAt: row.keyRotatedAt.toISOString(),
  };
}

/** The live endpoint as its owner sees it: state, current video, settings; never a secret. */
export async function getLiveEndpoint(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
): Promise<LiveEndpoint> {
  const channel = await ownedChannel(ctx, viewer, handle);
  // A session whose reconnect window passed must not show as live, whichever origin missed it.
  await endExpiredSessions(ctx);
  const row = await endpointOf(ctx, channel.id);
  if (!row) throw new NotFoundError('Live endpoint');
  return describeEndpoint(ctx, row);
}

/** Change some settings; they apply to the next session (a running one keeps its ladder). */
export async function updateLiveSettings(
  ctx: ServiceContext,
  viewer: Viewer,
  handle: string,
  rawInput: UpdateLiveSettingsInput,
): Promise<LiveEndpoint> {
  const input = UpdateLiveSettingsInputSchema.parse(rawInput);
  const channel = await ownedChannel(ctx, viewer, handle);
  const row = await ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(liveEndpoints)
      .where(eq(liveEndpoints.channelId, channel.id))
      .for('update');
    if (!current) return undefined;
    const settings = LiveSettingsSchema.parse({ ...current.settings, ...input });
    const [updated] = await tx
      .update(liveEndpoints)
      .set({ settings })
      .where(eq(liveEndpoints.channelId, channel.id))
      .returning();
    return updated;
  });
  if (!row) throw new NotFoundError('Live endpoint');
  return describeEndpoint(ctx, row);
}

/**
 * Every SRT listener ingest should run: one per channel with a key, with its current passphrase.
 * For ingest only (internal token); the passphrases are derived here, never read from storage.
 */
export async function srtListeners(ctx: ServiceContext): Promise<LiveSrtListeners> {
  const rows = await ctx.db
    .select({
      channelId: liveEndpoints.channelId,
      port: liveEndpoints.srtPort,
      keyGeneration: liveEndpoints.keyGeneration,
    })
    .from(liveEndpoints)
    .orderBy(asc(liveEndpoints.srtPort));
  return {
    listeners: rows.map((row) => ({
      port: row.port,
      channelId: row.channelId,
      passphrase: srtPassphrase(ctx.config.live.srtSecret, row.channelId, row.keyGeneration),
    })),
  };
}

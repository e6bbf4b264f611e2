import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, min } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { channels, jobs, liveEndpoints, liveSessions, videos } from '../../../../db/schema/index.js';
import {
  type LiveAuthorizeInput,
  LiveAuthorizeInputSchema,
  type LiveAuthorizeResult,
  type LiveDisconnectedInput,
  LiveDisconnectedInputSchema,
  type LiveJobPayload,
  LiveSettingsSchema,
} from '../../../../protocol/live.js';
import { JOB_KINDS, JOB_STATES } from '../../../../protocol/runner.js';
import { hashSecret, secretMatches } from '../../auth/opaque-tokens.js';
import { NotFoundError, ServiceError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { enqueueJob } from '../jobs/queue.js';
import { recordEvent } from '../outbox/record.js';
import { transitionVideo } from '../videos/lifecycle.js';
import { endFinishedLiveStreams } from './hub-push.js';
import { kickReplays, queueRecording } from './recording.js';

export type LiveSessionRow = typeof liveSessions.$inferSelect;

/**
 * A live job is re-leased every time its transcoder dies, for as long as the stream is on air, so
 * it gets far more attempts than a VOD transcode.
 */
const LIVE_JOB_MAX_ATTEMPTS = 100;
const OPEN_JOB_STATES = [JOB_STATES.pending, JOB_STATES.leased];

const refused = () => new ServiceError('forbidden', 'This stream key is not valid');

/** Where the live transcoder pulls a session's stream from. */
export const sourceUrlOf = (pullBaseUrl: string, streamName: string) =>
  `${pullBaseUrl.replace(/\/+$/, '')}/${streamName}`;

/**
 * The endpoint the key (RTMP) or passphrase (SRT) belongs to, or undefined. The row is found by the
 * secret's SHA-256, then checked in constant time; a rotated secret has no row any more.
 */
async function endpointForSecret(ctx: ServiceContext, input: LiveAuthorizeInput) {
  const column = input.protocol === 'srt' ? liveEndpoints.srtPassphraseHash : liveEndpoints.keyHash;
  const [row] = await ctx.db
    .select()
    .from(liveEndpoints)
    .where(eq(column, hashSecret(input.streamKey)));
  if (!row) return undefined;
  const stored = input.protocol === 'srt' ? row.srtPassphraseHash : row.keyHash;
  return secretMatches(input.streamKey, stored) ? row : undefined;
}

/**
 * End a session in the caller's transaction: video `ended`, live job cancelled, `live.ended`, and
 * when the channel records, a `recording` job that turns the recording into a replay (see
 * `recording.ts`; run by `kickReplays` once this transaction has committed).
 */
async function endSession(ctx: ServiceContext, tx: Executor, session: LiveSessionRow): Promise<void> {
  await tx.update(liveSessions).set({ endedAt: new Date() }).where(eq(liveSessions.id, session.id));
  if (await transitionVideo(tx, session.videoId, 'ended'))
    await queueRecording(tx, session, ctx.config.jobs.maxAttempts);
  if (session.jobId) {
    // A transcoder holding it learns at its next heartbeat that the lease is gone.
    await tx
      .update(jobs)
      .set({ state: JOB_STATES.cancelled, leaseExpiresAt: null, finishedAt: new Date() })
      .where(and(eq(jobs.id, session.jobId), inArray(jobs.state, OPEN_JOB_STATES)));
  }
  await recordEvent(tx, {
    type: 'live.ended',
    payload: { videoId: session.videoId, channelId: session.channelId, streamId: session.id },
  });
}

/**
 * End every session whose reconnect window has passed. Idempotent and safe on many origins at once
 * (`SKIP LOCKED`); run by the reconnect timer, the live sweeper, and before authorize and GET.
 */
export async function endExpiredSessions(ctx: ServiceContext): Promise<number> {
  let ended = 0;
  for (;;) {
    const done = await ctx.db.transaction(async (tx) => {
      const [session] = await tx
        .select()
        .from(liveSessions)
        .where(and(isNull(liveSessions.endedAt), lt(liveSessions.reconnectDeadline, new Date())))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!session) return undefined;
      await endSession(ctx, tx, session);
      return session.videoId;
    });
    if (!done) {
      if (ended) void kickReplays(ctx);
      return ended;
    }
    ctx.liveHub.end(done);
    ended++;
  }
}

/** End what is due, and answer the next deadline to wait for (see `ReconnectTimer`). */
export async function sweepReconnects(
  ctx: ServiceContext,
): Promise<{ ended: number; next: Date | undefined }> {
  const ended = await endExpiredSessions(ctx);
  // Sessions other origins ended (their sweep, or an authorize there) while we held the stream.
  await endFinishedLiveStreams(ctx);
  return { ended, next: await nextReconnectDeadline(ctx) };
}

/** The earliest reconnect deadline of an open session on any origin, or undefined. */
export async function nextReconnectDeadline(ctx: ServiceContext): Promise<Date | undefined> {
  const [row] = await ctx.db
    .select({ at: min(liveSessions.reconnectDeadline) })
    .from(liveSessions)
    .where(isNull(liveSessions.endedAt));
  return row?.at ?? undefined;
}

/**
 * Keep the session's live job pointed at the current publisher. A job that moved to another node
 * is put back on offer with the new source (its old holder loses the lease at its next heartbeat);
 * a job that gave up while the session is still on air is queued anew.
 */
async function followPublisher(
  tx: Executor,
  session: LiveSessionRow,
  sourceUrl: string,
  ladder: LiveJobPayload['ladder'],
) {
  const [job] = session.jobId ? await tx.select().from(jobs).where(eq(jobs.id, session.jobId)) : [];
  // The session keeps the ladder it started with; settings changed meanwhile wait for the next one.
  const payload: LiveJobPayload = {
    sessionId: session.id,
    sourceUrl,
    ladder: (job?.payload as LiveJobPayload | undefined)?.ladder ?? ladder,
  };
  if (job && OPEN_JOB_STATES.includes(job.state as 'pending')) {
    if ((job.payload as LiveJobPayload).sourceUrl === sourceUrl) return;
    await tx
      .update(jobs)
      .set({ payload, state: JOB_STATES.pending, runnerId: null, leaseExpiresAt: null, runAfter: new Date() })
      .where(eq(jobs.id, job.id));
    return;
  }
  const fresh = await enqueueJob(tx, {
    kind: JOB_KINDS.live,
    videoId: session.videoId,
    payload,
    maxAttempts: LIVE_JOB_MAX_ATTEMPTS,
  });
  await tx.update(liveSessions).set({ jobId: fresh.id }).where(eq(liveSessions.id, session.id));
}

/**
 * May this publisher go on air? Ingest asks before it accepts any media. A wrong, rotated or
 * unknown key is refused (403) and nothing is created. One session per channel: while one is open
 * (live, or inside its reconnect window) the newest valid publisher takes it over and continues
 * it (`resumed`); otherwise a new session starts with a `live` video, a `live` job and `live.started`.
 */
export async function authorizePublisher(
  ctx: ServiceContext,
  rawInput: LiveAuthorizeInput,
): Promise<LiveAuthorizeResult> {
  const input = LiveAuthorizeInputSchema.parse(rawInput);
  const endpoint = await endpointForSecret(ctx, input);
  if (!endpoint) throw refused();
  await endExpiredSessions(ctx);
  let replaced: string | undefined;
  const result = await ctx.db.transaction(async (tx) => {
    // Serializes authorizes of one channel across origins; a rotation in between is seen here.
    const [locked] = await tx
      .select()
      .from(liveEndpoints)
      .where(eq(liveEndpoints.channelId, endpoint.channelId))
      .for('update');
    const stored = input.protocol === 'srt' ? locked?.srtPassphraseHash : locked?.keyHash;
    if (!locked || !stored || !secretMatches(input.streamKey, stored)) throw refused();
    const settings = LiveSettingsSchema.parse(locked.settings);
    const [open] = await tx
      .select({ session: liveSessions, videoState: videos.state })
      .from(liveSessions)
      .innerJoin(videos, eq(videos.id, liveSessions.videoId))
      .where(and(eq(liveSessions.channelId, locked.channelId), isNull(liveSessions.endedAt)))
      .for('update', { of: liveSessions });
    const now = new Date();
    if (open) {
      const { session } = open;
      const windowPassed = session.reconnectDeadline !== null && session.reconnectDeadline <= now;
      if (open.videoState === 'live' && !windowPassed) {
        const [resumed] = await tx
          .update(liveSessions)
          .set({
            publisher: session.publisher + 1,
            node: input.node,
            pullBaseUrl: input.pullBaseUrl,
            protocol: input.protocol,
            disconnectedAt: null,
            reconnectDeadline: null,
          })
          .where(eq(liveSessions.id, session.id))
          .returning();
        const current = resumed as LiveSessionRow;
        await followPublisher(tx, current, sourceUrlOf(input.pullBaseUrl, session.id), settings.ladder);
        return {
          sessionId: session.id,
          channelId: session.channelId,
          videoId: session.videoId,
          resumed: true,
          streamName: session.id,
          publisher: current.publisher,
        };
      }
      // Its video was deleted, or its window passed a moment ago: close it, start afresh.
      await endSession(ctx, tx, session);
      replaced = session.videoId;
    }
    return startSession(tx, { channelId: locked.channelId, input, ladder: settings.ladder, now });
  });
  if (replaced) {
    ctx.liveHub.end(replaced);
    void kickReplays(ctx);
  }
  return result;
}

async function startSession(
  tx: Executor,
  args: { channelId: string; input: LiveAuthorizeInput; ladder: LiveJobPayload['ladder']; now: Date },
): Promise<LiveAuthorizeResult> {
  const { channelId, input } = args;
  const [channel] = await tx.select().from(channels).where(eq(channels.id, channelId));
  const [video] = await tx
    .insert(videos)
    .values({
      channelId,
      title: `${channel?.displayName ?? 'Live'}: live on ${args.now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    })
    .returning({ id: videos.id });
  const videoId = (video as { id: string }).id;
  await transitionVideo(tx, videoId, 'live');
  const sessionId = randomUUID();
  const job = await enqueueJob(tx, {
    kind: JOB_KINDS.live,
    videoId,
    payload: { sessionId, sourceUrl: sourceUrlOf(input.pullBaseUrl, sessionId), ladder: args.ladder },
    maxAttempts: LIVE_JOB_MAX_ATTEMPTS,
  });
  await tx.insert(liveSessions).values({
    id: sessionId,
    channelId,
    videoId,
    jobId: job.id,
    protocol: input.protocol,
    node: input.node,
    pullBaseUrl: input.pullBaseUrl,
    startedAt: args.now,
  });
  await recordEvent(tx, { type: 'live.started', payload: { videoId, channelId, streamId: sessionId } });
  return { sessionId, channelId, videoId, resumed: false, streamName: sessionId, publisher: 1 };
}

export type DisconnectOutcome =
  | { outcome: 'reconnect_window'; endsAt: Date }
  | { outcome: 'superseded' }
  | { outcome: 'ended' };

/**
 * The publisher went away: the session waits `reconnectSeconds` for it (or a newer one), then ends.
 * A report from a publisher that was already superseded changes nothing. Repeating it does not
 * push the deadline out.
 */
export async function publisherDisconnected(
  ctx: ServiceContext,
  sessionId: string,
  rawInput: LiveDisconnectedInput,
): Promise<DisconnectOutcome> {
  const input = LiveDisconnectedInputSchema.parse(rawInput);
  const result = await ctx.db.transaction(async (tx): Promise<DisconnectOutcome> => {
    const [session] = await tx
      .select()
      .from(liveSessions)
      .where(eq(liveSessions.id, sessionId))
      .for('update');
    if (!session) throw new NotFoundError('Live session');
    if (session.endedAt) return { outcome: 'ended' };
    const stale =
      input.publisher !== undefined ? input.publisher !== session.publisher : input.node !== session.node;
    if (stale) return { outcome: 'superseded' };
    if (session.reconnectDeadline) return { outcome: 'reconnect_window', endsAt: session.reconnectDeadline };
    const now = new Date();
    const endsAt = new Date(now.getTime() + ctx.config.live.reconnectSeconds * 1000);
    await tx
      .update(liveSessions)
      .set({ disconnectedAt: now, reconnectDeadline: endsAt })
      .where(eq(liveSessions.id, session.id));
    return { outcome: 'reconnect_window', endsAt };
  });
  if (result.outcome === 'reconnect_window') ctx.liveReconnects.arm(result.endsAt);
  return result;
}

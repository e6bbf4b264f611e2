import type { InboxContext } from '@fedify/fedify';
import {
  Accept,
  type Activity,
  Announce,
  Create,
  Delete,
  Dislike,
  Like,
  Note,
  Reject,
  Undo,
  Update,
} from '@fedify/vocab';
import { validatePublicUrl } from '@fedify/vocab-runtime';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { channels, videoComments, videos } from '../../../../db/schema/index.js';
import { readRemoteVideo } from '../../../../protocol/activitypub/remote-video.js';
import type { Logger } from '../../lib/logger.js';
import { sanitizeRemoteComment } from '../comments/render.js';
import { countReply, insertComment } from '../comments/write.js';
import { setRating } from '../reactions/rate.js';
import type { InboundHooks } from './federation.js';
import { actorFacts, remoteUserId } from './remote-actors.js';
import { onFollowAnswered } from './remote-follow.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * A remote object's JSON as its instance serves it now. Video activities are re-read from the
 * object's id rather than taken from the activity: fedify's vocabulary drops PeerTube's fields
 * (`uuid`, `views`), and the instance that serves the id is the one that vouches for it.
 */
async function fetchObject(url: string, allowPrivateAddress: boolean): Promise<unknown> {
  if (!allowPrivateAddress) await validatePublicUrl(url);
  const res = await fetch(url, {
    headers: { accept: 'application/activity+json' },
    redirect: 'error',
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const json = (await res.json()) as { id?: unknown };
  if (json?.id !== url) throw new Error(`GET ${url}: served an object with another id`);
  return json;
}

/**
 * What our inbox does with remote content (issue 14): Accept/Reject of our follows; Create, Update,
 * Announce and Delete of the Videos of channels our users follow (checked with PeerTube's rules;
 * a refused one is logged with the reason and stored nowhere); comments (`Note`s) on our videos
 * and on mirrored ones; Likes and Dislikes of our videos, and their Undo.
 */
export function remoteContentHooks(
  db: Database,
  settings: { publicUrl: string; allowPrivateAddress: boolean },
  logger: Logger,
): InboundHooks {
  const ourVideo = new RegExp(`^${escapeRegExp(settings.publicUrl)}/videos/watch/(${UUID})$`);
  const ourComment = new RegExp(
    `^${escapeRegExp(settings.publicUrl)}/videos/watch/(${UUID})/comments/(\\d+)$`,
  );

  /** A video a remote object may point at: ours, or a mirror of a remote one. */
  async function videoAt(url: string) {
    const local = ourVideo.exec(url);
    const [row] = await db
      .select({ id: videos.id, channelId: videos.channelId, remoteUrl: videos.remoteUrl })
      .from(videos)
      .where(local ? and(eq(videos.id, local[1] as string)) : eq(videos.remoteUrl, url));
    return row && (local ? !row.remoteUrl : true) ? row : undefined;
  }

  async function storeVideo(objectUrl: string, actorId: string, kind: string) {
    let json: unknown;
    try {
      json = await fetchObject(objectUrl, settings.allowPrivateAddress);
    } catch (error) {
      logger.warn({ err: error, object: objectUrl }, `federation: ${kind} of a Video we could not fetch`);
      return;
    }
    const read = readRemoteVideo(json);
    if (!read.ok) {
      logger.warn(
        { object: objectUrl, reason: read.reason },
        `federation: refused remote Video (${read.reason})`,
      );
      return;
    }
    const video = read.video;
    const [channel] = await db.select().from(channels).where(eq(channels.remoteActorId, video.channelId));
    // Only channels someone here follows have mirrors; only their instance may speak for them.
    if (!channel) return;
    if (
      new URL(video.url).host !== new URL(actorId).host ||
      new URL(video.channelId).host !== new URL(actorId).host
    ) {
      logger.warn(
        { object: objectUrl, actor: actorId },
        'federation: refused a Video sent by another instance',
      );
      return;
    }
    const values = {
      title: video.title,
      description: video.description,
      privacy: video.privacy,
      state: 'ready' as const,
      progress: 100,
      durationSeconds: video.durationSeconds,
      tags: video.tags,
      views: video.views,
      commentsPolicy: video.commentsEnabled ? ('enabled' as const) : ('disabled' as const),
      remoteMedia: { hls: video.hls, ...(video.thumbnail ? { thumbnail: video.thumbnail } : {}) },
      updatedAt: video.updatedAt,
    };
    await db
      .insert(videos)
      .values({ channelId: channel.id, remoteUrl: video.url, createdAt: video.publishedAt, ...values })
      .onConflictDoUpdate({ target: videos.remoteUrl, set: values });
    logger.info({ object: objectUrl, kind }, 'federation: stored remote Video');
  }

  async function deleteObject(objectUrl: string, actorId: string) {
    const [mirror] = await db
      .select({ id: videos.id, actor: channels.remoteActorId })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(eq(videos.remoteUrl, objectUrl));
    if (mirror) {
      if (new URL(mirror.actor ?? objectUrl).host !== new URL(actorId).host) return;
      await db.delete(videos).where(eq(videos.id, mirror.id));
      logger.info({ object: objectUrl }, 'federation: removed remote Video');
      return;
    }
    const [comment] = await db.select().from(videoComments).where(eq(videoComments.remoteId, objectUrl));
    if (comment && new URL(objectUrl).host === new URL(actorId).host && !comment.deletedAt) {
      await db.transaction(async (tx) => {
        await tx
          .update(videoComments)
          .set({ deletedAt: new Date(), text: '', html: '' })
          .where(eq(videoComments.id, comment.id));
        if (comment.threadId !== null && !comment.heldForReview) await countReply(tx, comment.threadId, -1);
      });
    }
  }

  async function storeNote(note: Note, ctx: InboxContext<void>) {
    if (!note.id || !note.replyTargetId) return;
    const target = note.replyTargetId.href;
    const author = await note.getAttribution(ctx);
    if (!author?.id || author.id.host !== note.id.host) return;
    const checked = await actorFacts(author, ctx.contextLoader);
    if ('reason' in checked) {
      logger.warn({ note: note.id.href, reason: checked.reason }, 'federation: refused a comment author');
      return;
    }
    const commentAt = ourComment.exec(target);
    const [parent] = commentAt
      ? await db
          .select()
          .from(videoComments)
          .where(eq(videoComments.id, Number(commentAt[2])))
      : await db.select().from(videoComments).where(eq(videoComments.remoteId, target));
    const video = parent
      ? (await db.select().from(videos).where(eq(videos.id, parent.videoId)))[0]
      : await videoAt(target).then((v) =>
          v
            ? db
                .select()
                .from(videos)
                .where(eq(videos.id, v.id))
                .then((r) => r[0])
            : undefined,
        );
    if (!video || video.commentsPolicy === 'disabled') return;
    const [channel] = await db.select().from(channels).where(eq(channels.id, video.channelId));
    if (!channel) return;
    const { html, text } = sanitizeRemoteComment(note.content?.toString() ?? '');
    if (!text) return;
    const authorId = await remoteUserId(db, checked.facts);
    await insertComment(db, {
      video: { id: video.id, channelId: video.channelId, ownerId: channel.ownerId },
      parent,
      authorId,
      text: text.slice(0, 10_000),
      html,
      held: video.commentsPolicy === 'approval',
      remoteId: note.id.href,
    });
  }

  async function rate(
    activity: Like | Dislike,
    rating: 'like' | 'dislike' | 'none',
    ctx: InboxContext<void>,
  ) {
    if (!activity.objectId) return;
    const video = await videoAt(activity.objectId.href);
    if (!video || video.remoteUrl) return; // only our own videos' ratings are ours to count
    const actor = await activity.getActor(ctx);
    if (!actor) return;
    const checked = await actorFacts(actor, ctx.contextLoader);
    if ('reason' in checked) return;
    const userId = await remoteUserId(db, checked.facts);
    await db.transaction((tx) => setRating(tx, { userId, video }, rating));
  }

  return {
    async onActivity(activity: Activity, ctx: InboxContext<void>) {
      const actorId = activity.actorId?.href;
      if (!actorId) return;
      if (activity instanceof Accept || activity instanceof Reject) {
        if (!activity.objectId) return;
        await onFollowAnswered(db, {
          followId: activity.objectId.href,
          actorId,
          accepted: activity instanceof Accept,
        });
        return;
      }
      if (activity instanceof Create || activity instanceof Update) {
        const object = await activity.getObject(ctx).catch(() => null);
        if (object instanceof Note) return storeNote(object, ctx);
        if (activity.objectId) await storeVideo(activity.objectId.href, actorId, activity.constructor.name);
        return;
      }
      if (activity instanceof Announce) {
        if (activity.objectId && !(await videoAt(activity.objectId.href)))
          await storeVideo(activity.objectId.href, actorId, 'Announce');
        return;
      }
      if (activity instanceof Delete) {
        if (activity.objectId) await deleteObject(activity.objectId.href, actorId);
        return;
      }
      if (activity instanceof Like) return rate(activity, 'like', ctx);
      if (activity instanceof Dislike) return rate(activity, 'dislike', ctx);
      if (activity instanceof Undo) {
        const object = await activity.getObject(ctx).catch(() => null);
        if ((object instanceof Like || object instanceof Dislike) && object.actorId?.href === actorId)
          await rate(object, 'none', ctx);
      }
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

import { sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import {
  channelFollows,
  channels,
  notificationSettings,
  notifications,
  videos,
} from '../../../../db/schema/index.js';
import {
  DEFAULT_NOTIFICATION_SETTING,
  NOTIFICATION_KINDS,
  NOTIFY_EMAIL,
  NOTIFY_WEB,
} from '../../../../protocol/api/notifications.js';
import { ANNOUNCED_PRIVACIES, type NoticePlan } from './plan.js';

const listOf = (values: readonly string[]) =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** The user ids a plan reaches, as a SELECT of one `user_id` column. */
function recipientsOf(plan: NoticePlan) {
  const { channelId, videoId } = plan.refs;
  if ('userId' in plan.to) return sql`select ${plan.to.userId}::uuid as user_id`;
  if ('owner' in plan.to) {
    return sql`select ${channels.ownerId} as user_id from ${channels} where ${channels.id} = ${channelId}`;
  }
  // Subscribers but the owner, while the video is announced and playable (checked now, not when the
  // event happened: a video made private meanwhile is announced to nobody), each told once per video.
  return sql`select ${channelFollows.followerId} as user_id
    from ${channelFollows}
    join ${channels} on ${channels.id} = ${channelFollows.channelId}
    join ${videos} on ${videos.id} = ${videoId ?? null}::uuid
      and ${videos.privacy} in ${listOf(ANNOUNCED_PRIVACIES)} and ${videos.state} in ('ready', 'live')
    where ${channelFollows.channelId} = ${channelId} and ${channelFollows.followerId} <> ${channels.ownerId}
      and not exists (select 1 from ${notifications} told
        where told.user_id = ${channelFollows.followerId} and told.kind = ${plan.kind}
          and told.video_id = ${videoId ?? null}::uuid)`;
}

/**
 * Create the notices of one plan in one INSERT ... SELECT, whatever the number of recipients.
 * Each recipient's setting for the kind decides `web` and `email`; who wants neither gets no row.
 * `(user_id, dedupe_key)` is unique, so a redelivered event (the same key) inserts nothing again,
 * and a user reached by two plans of one event keeps the first. Returns how many rows were added.
 */
export async function insertNotices(tx: Executor, plan: NoticePlan, dedupeKey: string): Promise<number> {
  const setting = notificationSettings[NOTIFICATION_KINDS[plan.kind].setting];
  const bits = sql`coalesce(${setting}, ${DEFAULT_NOTIFICATION_SETTING})`;
  const { channelId, videoId, commentId, threadId, actorId } = plan.refs;
  const result = await tx.execute(sql`
    insert into ${notifications}
      (user_id, kind, channel_id, video_id, comment_id, thread_id, actor_id, web, email, dedupe_key)
    select r.user_id, ${plan.kind}, ${channelId}::uuid, ${videoId ?? null}::uuid, ${commentId ?? null}::integer,
      ${threadId ?? null}::integer, ${actorId ?? null}::uuid,
      (${bits} & ${NOTIFY_WEB}) <> 0, (${bits} & ${NOTIFY_EMAIL}) <> 0, ${dedupeKey}
    from (${recipientsOf(plan)}) r
    left join ${notificationSettings} on ${notificationSettings.userId} = r.user_id
    where (${bits} & ${NOTIFY_WEB | NOTIFY_EMAIL}) <> 0
    on conflict (user_id, dedupe_key) do nothing
    returning id`);
  return rowsOf(result).length;
}

/** Rows of `execute`, which postgres.js returns as an array and PGlite as `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

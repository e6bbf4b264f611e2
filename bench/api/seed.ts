import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

/** Words titles and descriptions are made of; search queries pick from them. */
const WORDS = [
  'étude',
  'sunset',
  'guitar',
  'lecture',
  'travel',
  'kitchen',
  'garden',
  'robotics',
  'physics',
  'jazz',
  'mountain',
  'ocean',
  'tutorial',
  'review',
  'concert',
  'interview',
  'history',
  'coding',
];
const USERS = 100;
const VIDEOS = 10_000;
/** The thread page measured: one busy video with many threads and replies. */
const HOT_ROOTS = 1_000;
const HOT_REPLIES = 4_000;
const COMMENTS = 100_000;

export interface Endpoint {
  name: string;
  /** Paths the load rotates through (several ids, so no single row stays hot in every cache). */
  paths: string[];
}

/**
 * 100 users with a channel each, 10k ready videos (one in ten private, so privacy filters have
 * work), 100k comments: a busy video with 1,000 threads and 4,000 replies, the rest one thread
 * each across the other videos. Set-based SQL (generate_series): seconds, not minutes.
 */
export async function seed(
  db: Database,
): Promise<{ videos: number; comments: number; endpoints: Endpoint[] }> {
  const words = sql.raw(`array[${WORDS.map((w) => `'${w}'`).join(',')}]`);
  await db.execute(sql`
    insert into users (email, username, password_hash)
    select 'bench' || g || '@bench.invalid', 'bench' || g, 'not-a-hash' from generate_series(1, ${USERS}) g`);
  await db.execute(sql`
    insert into channels (owner_id, handle, display_name)
    select id, 'ch_' || username, 'Channel ' || username from users where email like '%@bench.invalid'`);
  await db.execute(sql`
    with ch as (select id, row_number() over (order by handle) - 1 as n from channels)
    insert into videos (channel_id, title, description, privacy, state, progress, duration_seconds, assets)
    select ch.id,
           initcap((${words})[1 + g % ${WORDS.length}]) || ' ' || (${words})[1 + (g / 7) % ${WORDS.length}] || ' #' || g,
           'About ' || (${words})[1 + (g / 3) % ${WORDS.length}] || ' and ' || (${words})[1 + (g / 11) % ${WORDS.length}],
           (case when g % 10 = 0 then 'private' else 'public' end)::video_privacy,
           'ready', 100, 60 + g % 600,
           '{"version":1,"master":"hls/master.m3u8"}'::jsonb
    from generate_series(1, ${VIDEOS}) g join ch on ch.n = g % ${USERS}`);
  const [hot] = (await db.execute(
    sql`select id from videos where privacy = 'public' order by seq limit 1`,
  )) as unknown as { id: string }[];
  const hotId = (hot as { id: string }).id;
  // Comment authors rotate over the bench users.
  await db.execute(sql`
    with u as (select id, row_number() over (order by username) - 1 as n from users where email like '%@bench.invalid')
    insert into video_comments (video_id, author_id, text, html)
    select ${hotId}, u.id, 'Thread ' || g || ' about ' || (${words})[1 + g % ${WORDS.length}],
           '<p>Thread ' || g || '</p>'
    from generate_series(1, ${HOT_ROOTS}) g join u on u.n = g % ${USERS}`);
  await db.execute(sql`
    with roots as (select id, row_number() over (order by id) - 1 as n from video_comments where video_id = ${hotId}),
         u as (select id, row_number() over (order by username) - 1 as n from users where email like '%@bench.invalid')
    insert into video_comments (video_id, thread_id, in_reply_to_id, author_id, text, html)
    select ${hotId}, roots.id, roots.id, u.id, 'Reply ' || g, '<p>Reply ' || g || '</p>'
    from generate_series(1, ${HOT_REPLIES}) g
    join roots on roots.n = g % ${HOT_ROOTS} join u on u.n = g % ${USERS}`);
  await db.execute(sql`
    update video_comments c set reply_count = r.n
    from (select thread_id, count(*)::int as n from video_comments where thread_id is not null group by thread_id) r
    where c.id = r.thread_id`);
  const rest = COMMENTS - HOT_ROOTS - HOT_REPLIES;
  await db.execute(sql`
    with v as (select id, row_number() over (order by seq) - 1 as n from videos where id <> ${hotId}),
         u as (select id, row_number() over (order by username) - 1 as n from users where email like '%@bench.invalid')
    insert into video_comments (video_id, author_id, text, html)
    select v.id, u.id, 'Comment ' || g, '<p>Comment ' || g || '</p>'
    from generate_series(1, ${rest}) g
    join v on v.n = g % ${VIDEOS - 1} join u on u.n = g % ${USERS}`);
  await db.execute(sql`analyze`);

  const sample = (await db.execute(
    sql`select id from videos where privacy = 'public' order by seq desc limit 20`,
  )) as unknown as { id: string }[];
  const ids = sample.map((row) => row.id);
  return {
    videos: VIDEOS,
    comments: COMMENTS,
    endpoints: [
      { name: 'video list', paths: ['/api/v1/videos?limit=20'] },
      { name: 'video page', paths: ids.map((id) => `/api/v1/videos/${id}`) },
      {
        name: 'comment thread',
        paths: [
          `/api/v1/videos/${hotId}/comment-threads?count=20`,
          `/api/v1/videos/${hotId}/comment-threads?count=20&start=100`,
        ],
      },
      {
        name: 'search',
        paths: ['etude', 'guitar', 'ocean lecture', 'rob', 'jazz'].map(
          (q) => `/api/v1/search/videos?search=${encodeURIComponent(q)}&count=20`,
        ),
      },
    ],
  };
}

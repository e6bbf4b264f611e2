import type { Context } from 'hono';
import { ChannelListMiniSchema } from '../../../protocol/api/channels-mini.js';
import {
  CommentThreadPageMiniSchema,
  type CommentTreeMini,
  CommentTreeMiniSchema,
} from '../../../protocol/api/comments-mini.js';
import type { VideoDto } from '../../../protocol/api/videos.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { CommentsPanel } from './comments-views.js';
import type { Session } from './session.js';

const SORTS = new Set(['-createdAt', '-likes', '-totalReplies']);
const PAGE_SIZE = 20;

/** Whether the viewer owns the video's channel or is an admin (moderation controls). */
async function managesVideo(c: Context<EdgeEnv>, video: VideoDto, session: Session): Promise<boolean> {
  if (!session.viewer) return false;
  if (session.viewer.role === 'admin') return true;
  const mine = await callApi(c, '/api/v1/users/me/channels', ChannelListMiniSchema, { token: session.token });
  return mine.ok && mine.data.items.some((channel) => channel.id === video.channel.id);
}

/**
 * The watch page's comment section for `video`: one page of threads (`?sort=`, `?comments=` cursor)
 * with the replies of those that have any. A failure to load them leaves the page usable.
 */
export async function CommentsSection(props: { c: Context<EdgeEnv>; video: VideoDto; session: Session }) {
  const { c, video, session } = props;
  const sortQuery = c.req.query('sort') ?? '-createdAt';
  const sort = SORTS.has(sortQuery) ? sortQuery : '-createdAt';
  const query = new URLSearchParams({ sort, count: String(PAGE_SIZE) });
  const cursor = c.req.query('comments');
  if (cursor) query.set('cursor', cursor);
  const base = `/api/v1/videos/${video.id}/comment-threads`;
  const [page, manages] = await Promise.all([
    callApi(c, `${base}?${query}`, CommentThreadPageMiniSchema, { token: session.token }),
    managesVideo(c, video, session),
  ]);
  const roots = page.ok ? page.data.data : [];
  const threads: CommentTreeMini[] = await Promise.all(
    roots.map(async (comment) => {
      if (comment.totalReplies === 0 && !manages) return { comment, children: [] };
      const tree = await callApi(c, `${base}/${comment.id}`, CommentTreeMiniSchema, { token: session.token });
      return tree.ok ? tree.data : { comment, children: [] };
    }),
  );
  return (
    <CommentsPanel
      videoId={video.id}
      policy={video.commentsPolicy.id}
      viewer={session.viewer}
      manages={manages}
      threads={threads}
      total={page.ok ? page.data.total : 0}
      sort={sort}
      nextCursor={page.ok ? page.data.nextCursor : null}
      unavailable={!page.ok}
    />
  );
}

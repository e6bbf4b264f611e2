import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CommentInputSchema,
  CommentSchema,
  CommentThreadPageSchema,
  CommentTreeSchema,
  CreatedCommentSchema,
  ListCommentThreadsQuerySchema,
  RateCommentInputSchema,
} from '../../../protocol/api/comments.js';
import { requireViewer } from '../auth/middleware.js';
import {
  type AppEnv,
  bearerSecurity,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from '../lib/http.js';
import { approveComment, rateComment } from '../services/comments/reactions.js';
import { getCommentThread, listCommentThreads } from '../services/comments/read.js';
import { createComment, deleteComment, editComment } from '../services/comments/write.js';

const VideoParams = z.object({ id: z.string().uuid('Not a video id') });
const CommentParams = VideoParams.extend({ commentId: z.coerce.number().int().positive('Not a comment id') });
const ThreadParams = VideoParams.extend({ threadId: z.coerce.number().int().positive('Not a thread id') });
const PasswordHeader = z.object({ 'x-video-password': z.string().max(200).optional() });

const listThreadsRoute = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/comment-threads',
  tags: ['comments'],
  summary:
    'Comment threads of a video the caller may see (sort: -createdAt, createdAt, -totalReplies, -likes)',
  request: { params: VideoParams, query: ListCommentThreadsQuerySchema, headers: PasswordHeader },
  responses: {
    200: jsonResponse('A page of thread roots', CommentThreadPageSchema),
    ...errorResponses(400, 401, 403, 404),
  },
});

const getThreadRoute = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/comment-threads/{threadId}',
  tags: ['comments'],
  summary: 'One thread: its root and replies, nested',
  request: { params: ThreadParams, headers: PasswordHeader },
  responses: { 200: jsonResponse('The thread', CommentTreeSchema), ...errorResponses(400, 401, 403, 404) },
});

const createThreadRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/comment-threads',
  tags: ['comments'],
  summary: 'Start a comment thread (held for approval when the video says so)',
  security: bearerSecurity,
  request: { params: VideoParams, headers: PasswordHeader, body: jsonBody(CommentInputSchema) },
  responses: { 201: jsonResponse('Posted', CreatedCommentSchema), ...errorResponses(400, 401, 403, 404) },
});

const replyRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/comments/{commentId}',
  tags: ['comments'],
  summary: 'Reply to a comment',
  security: bearerSecurity,
  request: { params: CommentParams, headers: PasswordHeader, body: jsonBody(CommentInputSchema) },
  responses: {
    201: jsonResponse('Posted', CreatedCommentSchema),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const editRoute = createRoute({
  method: 'put',
  path: '/api/v1/videos/{id}/comments/{commentId}',
  tags: ['comments'],
  summary: "Change one's own comment",
  security: bearerSecurity,
  request: { params: CommentParams, headers: PasswordHeader, body: jsonBody(CommentInputSchema) },
  responses: {
    200: jsonResponse('The changed comment', CommentSchema),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/videos/{id}/comments/{commentId}',
  tags: ['comments'],
  summary: "Delete a comment (its author, the video's owner or an admin); replies keep a tombstone",
  security: bearerSecurity,
  request: { params: CommentParams, headers: PasswordHeader },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
});

const rateRoute = createRoute({
  method: 'put',
  path: '/api/v1/videos/{id}/comments/{commentId}/rate',
  tags: ['comments'],
  summary: 'Like a comment, or take the like back (one like per user)',
  security: bearerSecurity,
  request: { params: CommentParams, headers: PasswordHeader, body: jsonBody(RateCommentInputSchema) },
  responses: { 204: { description: 'Rated' }, ...errorResponses(400, 401, 403, 404, 409) },
});

const approveRoute = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/comments/{commentId}/approve',
  tags: ['comments'],
  summary: "Approve a held comment (the video's owner or an admin)",
  security: bearerSecurity,
  request: { params: CommentParams, headers: PasswordHeader },
  responses: { 204: { description: 'Approved' }, ...errorResponses(400, 401, 403, 404, 409) },
});

/** Who asks, about which video, with which password: what every comment service starts from. */
function viewRequest(c: Context<AppEnv>, id: string) {
  return {
    id,
    viewer: c.get('viewer'),
    password: c.req.header('x-video-password'),
    ip: c.get('clientIp'),
  };
}

/** Comments on videos: threads, replies, edits, deletes, likes and approval. */
export function commentRoutes() {
  return createRouter()
    .openapi(listThreadsRoute, async (c) => {
      const request = viewRequest(c, c.req.valid('param').id);
      return c.json(await listCommentThreads(c.get('services'), request, c.req.valid('query')), 200);
    })
    .openapi(getThreadRoute, async (c) => {
      const { id, threadId } = c.req.valid('param');
      return c.json(await getCommentThread(c.get('services'), viewRequest(c, id), threadId), 200);
    })
    .openapi(createThreadRoute, async (c) => {
      const request = { ...viewRequest(c, c.req.valid('param').id), viewer: requireViewer(c) };
      const comment = await createComment(c.get('services'), request, c.req.valid('json'));
      return c.json({ comment }, 201);
    })
    .openapi(replyRoute, async (c) => {
      const { id, commentId } = c.req.valid('param');
      const request = { ...viewRequest(c, id), viewer: requireViewer(c), inReplyTo: commentId };
      const comment = await createComment(c.get('services'), request, c.req.valid('json'));
      return c.json({ comment }, 201);
    })
    .openapi(editRoute, async (c) => {
      const { id, commentId } = c.req.valid('param');
      const request = { ...viewRequest(c, id), viewer: requireViewer(c), commentId };
      return c.json(await editComment(c.get('services'), request, c.req.valid('json')), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id, commentId } = c.req.valid('param');
      await deleteComment(c.get('services'), { ...viewRequest(c, id), viewer: requireViewer(c), commentId });
      return c.body(null, 204);
    })
    .openapi(rateRoute, async (c) => {
      const { id, commentId } = c.req.valid('param');
      const request = { ...viewRequest(c, id), viewer: requireViewer(c), commentId };
      await rateComment(c.get('services'), request, c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(approveRoute, async (c) => {
      const { id, commentId } = c.req.valid('param');
      await approveComment(c.get('services'), { ...viewRequest(c, id), viewer: requireViewer(c), commentId });
      return c.body(null, 204);
    });
}

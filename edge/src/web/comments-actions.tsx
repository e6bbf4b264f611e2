import type { Context } from 'hono';
import * as z from 'zod/mini';
import { CommentMiniSchema, CreatedCommentMiniSchema } from '../../../protocol/api/comments-mini.js';
import type { EdgeEnv } from '../context.js';
import { type ApiResult, callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CommentIdSchema = z.coerce.number().check(z.int(), z.positive());
const AbuseCreatedMiniSchema = z.object({ abuse: z.object({ id: z.int() }) });

type Action = 'post' | 'reply' | 'edit' | 'delete' | 'like' | 'approve' | 'report' | 'report-video';

/** One API call per form, and the comment the page should scroll to afterwards. */
async function callFor(
  c: Context<EdgeEnv>,
  action: Action,
  target: { videoId: string; commentId: number | undefined; token: string | undefined },
  form: Record<string, string>,
): Promise<{ result: ApiResult<unknown>; anchor: number | undefined }> {
  const { videoId, commentId, token } = target;
  const comments = `/api/v1/videos/${videoId}/comments/${commentId}`;
  const text = form.text ?? '';
  switch (action) {
    case 'post':
    case 'reply': {
      const path = action === 'post' ? `/api/v1/videos/${videoId}/comment-threads` : comments;
      const result = await callApi(c, path, CreatedCommentMiniSchema, {
        method: 'POST',
        token,
        body: { text },
      });
      return { result, anchor: result.ok ? result.data.comment.id : undefined };
    }
    case 'edit':
      return {
        result: await callApi(c, comments, CommentMiniSchema, { method: 'PUT', token, body: { text } }),
        anchor: commentId,
      };
    case 'delete':
      return {
        result: await callApi(c, comments, NO_CONTENT, { method: 'DELETE', token }),
        anchor: commentId,
      };
    case 'like': {
      const rating = form.rating === 'none' ? 'none' : 'like';
      const body = { rating };
      return {
        result: await callApi(c, `${comments}/rate`, NO_CONTENT, { method: 'PUT', token, body }),
        anchor: commentId,
      };
    }
    case 'approve':
      return {
        result: await callApi(c, `${comments}/approve`, NO_CONTENT, { method: 'POST', token }),
        anchor: commentId,
      };
    case 'report':
    case 'report-video': {
      const about = action === 'report' ? { comment: { id: commentId } } : { video: { id: videoId } };
      const body = { reason: form.reason ?? '', ...about };
      return {
        result: await callApi(c, '/api/v1/abuses', AbuseCreatedMiniSchema, { method: 'POST', token, body }),
        anchor: commentId,
      };
    }
  }
}

const DONE: Partial<Record<Action, string>> = {
  report: 'Thank you: the moderators will look at your report.',
  'report-video': 'Thank you: the moderators will look at your report.',
};

/**
 * `POST /w/:id/comments` (new thread), `POST /w/:id/report` (report the video) and `POST /w/:id/comments/:commentId/:action` (reply, edit,
 * delete, like, approve, report): the comment forms of the watch page, sent on to the API as the
 * signed-in viewer, then back to the video (post/redirect/get). A refusal shows the API's reason.
 */
export function commentSubmit(fixed?: Action) {
  return async function commentSubmit(c: Context<EdgeEnv>) {
    if (!isSameOrigin(c)) return crossSiteRefusal(c);
    const videoId = c.req.param('id') ?? '';
    const action = (fixed ?? c.req.param('action')) as Action;
    const commentId = CommentIdSchema.safeParse(c.req.param('commentId'));
    const session = await getSession(c);
    const back = `/w/${videoId}`;
    if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
    const known = ['reply', 'edit', 'delete', 'like', 'approve', 'report'].includes(action);
    if (!UUID.test(videoId) || (!fixed && (!known || !commentId.success))) {
      return sendPage(
        c,
        <MessagePage
          title="Not found"
          viewer={session.viewer}
          heading="Nothing to do here"
          message="This form address is not valid."
        />,
        404,
      );
    }
    const form = await formFields(c);
    const target = {
      videoId,
      commentId: commentId.success ? commentId.data : undefined,
      token: session.token,
    };
    const { result, anchor } = await callFor(c, action, target, form);
    const answer = (heading: string, message: string, status: 200 | 400 | 403 | 404 | 502) =>
      sendPage(
        c,
        <MessagePage
          title={heading}
          viewer={session.viewer}
          path={back}
          heading={heading}
          message={message}
          action={<a href={`${back}#comments`}>Back to the video</a>}
        />,
        status,
      );
    if (!result.ok) {
      const status =
        result.status === 404 ? 404 : result.status === 403 ? 403 : result.status >= 500 ? 502 : 400;
      return answer('That did not work', result.error.fields?.[0]?.message ?? result.error.message, status);
    }
    const done = DONE[action];
    if (done) return answer('Report sent', done, 200);
    return c.redirect(`${back}${anchor ? `#comment-${anchor}` : '#comments'}`, 303);
  };
}

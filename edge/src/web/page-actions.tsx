import type { Context } from 'hono';
import type { EdgeEnv } from '../context.js';
import { type ApiError, callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { MessagePage, sendPage } from './layout.js';
import { getSession, type Session } from './session.js';

/** A signed-in form post: same-origin only, the session's token, the form's text fields. */
export type SignedInPost = (
  c: Context<EdgeEnv>,
  session: Session,
  form: Record<string, string>,
) => Promise<Response>;

/**
 * Wrap a form handler that needs a signed-in viewer: a foreign site's post is refused, a signed-out
 * visitor is sent to sign in and back to `back`.
 */
export function signedInPost(back: (c: Context<EdgeEnv>) => string, handler: SignedInPost) {
  return async function signedIn(c: Context<EdgeEnv>) {
    if (!isSameOrigin(c)) return crossSiteRefusal(c);
    const session = await getSession(c);
    if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent(back(c))}`, 303);
    return handler(c, session, await formFields(c));
  };
}

/** Send a page that only says something (not found, failed), with the given status. */
export function sendMessage(
  c: Context<EdgeEnv>,
  session: Session,
  page: { title: string; heading?: string; message: string; path: string; back?: string },
  status: 400 | 403 | 404 | 502,
) {
  const action = page.back ? <a href={page.back}>Go back</a> : undefined;
  const body = (
    <MessagePage
      title={page.title}
      viewer={session.viewer}
      path={page.path}
      heading={page.heading ?? page.title}
      message={page.message}
      action={action}
    />
  );
  return sendPage(c, body, status);
}

/** The page for a refused or failed change: the API's message, its 4xx (or 502), and a way back. */
export function actionFailed(
  c: Context<EdgeEnv>,
  session: Session,
  error: ApiError,
  status: number,
  back: string,
) {
  const code = status === 404 ? 404 : status === 403 ? 403 : status >= 500 ? 502 : 400;
  const message = error.fields?.[0]?.message ?? error.message;
  return sendMessage(
    c,
    session,
    { title: 'Not done', heading: 'That did not work', message, path: back, back },
    code,
  );
}

/** Call an API route that answers 204 (or a body we do not need), then redirect to `then`. */
export async function changeThenRedirect(
  c: Context<EdgeEnv>,
  session: Session,
  call: { method: string; path: string; body?: unknown },
  then: string,
) {
  const res = await callApi(c, call.path, NO_CONTENT, {
    method: call.method,
    token: session.token,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  // A 200 with a body fails the NO_CONTENT parse as a 502, so callers pass only 204 routes here.
  if (!res.ok) return actionFailed(c, session, res.error, res.status, then);
  return c.redirect(then, 303);
}

import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { RegistrationAcceptedMiniSchema, SessionMiniSchema } from '../../../protocol/api/accounts-mini.js';
import type { EdgeEnv } from '../context.js';
import { type ApiError, callApi, fieldErrors, NO_CONTENT } from './api.js';
import { isSameOrigin } from './bridge.js';
import { authRateLimited, Field, FormError, formFields, nextPath } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { clearedCookies, getSession, REFRESH_COOKIE, sessionCookies } from './session.js';

type Mode = 'login' | 'register';

/** The sign-in or registration form, with whatever the previous attempt got wrong. */
function AuthForm(props: { mode: Mode; next: string; values: Record<string, string>; error?: ApiError }) {
  const errors = fieldErrors(props.error);
  const isLogin = props.mode === 'login';
  const heading = isLogin ? 'Sign in' : 'Create an account';
  const other = isLogin ? '/register' : '/login';
  const query = props.next !== '/' ? `?next=${encodeURIComponent(props.next)}` : '';
  return (
    <section class="narrow" aria-labelledby="form-heading">
      <h1 id="form-heading">{heading}</h1>
      <FormError message={props.error && !props.error.fields ? props.error.message : undefined} />
      <form method="post" action={`/${props.mode}`} class="stack">
        <input type="hidden" name="next" value={props.next} />
        <Field
          id="email"
          label="Email"
          type="email"
          autocomplete="email"
          required
          value={props.values.email}
          error={errors.email}
        />
        {isLogin ? null : (
          <Field
            id="username"
            label="Username"
            autocomplete="username"
            required
            minlength={3}
            maxlength={32}
            pattern="[A-Za-z0-9_]+"
            hint="3 to 32 letters, digits or underscores."
            value={props.values.username}
            error={errors.username}
          />
        )}
        <Field
          id="password"
          label="Password"
          type="password"
          autocomplete={isLogin ? 'current-password' : 'new-password'}
          required
          minlength={isLogin ? undefined : 10}
          hint={isLogin ? undefined : 'At least 10 characters.'}
          error={errors.password}
        />
        <button type="submit">{heading}</button>
      </form>
      <p>
        {isLogin ? 'New here? ' : 'Already have an account? '}
        <a href={`${other}${query}`}>{isLogin ? 'Create an account' : 'Sign in'}</a>
      </p>
    </section>
  );
}

/** `GET /login` and `GET /register`. */
export function authPage(mode: Mode) {
  return async (c: Context<EdgeEnv>) => {
    const session = await getSession(c);
    const next = nextPath(c, c.req.query('next'), mode === 'register' ? '/channels/new' : '/');
    if (session.viewer) return c.redirect(next, 303);
    const title = mode === 'login' ? 'Sign in' : 'Register';
    return sendPage(
      c,
      <Layout title={title} viewer={undefined} path={`/${mode}`}>
        <AuthForm mode={mode} next={next} values={{}} />
      </Layout>,
    );
  };
}

/** A refusal for a form posted from another site. */
export function crossSiteRefusal(c: Context<EdgeEnv>) {
  const page = (
    <MessagePage
      title="Refused"
      viewer={undefined}
      heading="This form was sent from another site"
      message="For your safety it was not processed. Go back to Vidra and try again."
    />
  );
  return sendPage(c, page, 403);
}

/**
 * `POST /login` and `POST /register`: forward the credentials to the API (registration, then a
 * sign-in with the same credentials, since registering opens no session) and, on success, keep
 * the tokens in HttpOnly cookies and go on to `next`. On failure the form comes back filled in
 * (except the password) with the API's messages next to the fields.
 */
export function authSubmit(mode: Mode) {
  return async (c: Context<EdgeEnv>) => {
    if (!isSameOrigin(c)) return crossSiteRefusal(c);
    const form = await formFields(c);
    const next = nextPath(c, form.next, mode === 'register' ? '/channels/new' : '/');
    const values = { email: form.email ?? '', username: form.username ?? '' };
    const title = mode === 'login' ? 'Sign in' : 'Register';
    const again = (error: ApiError, status: 400 | 401 | 429 | 502) =>
      sendPage(
        c,
        <Layout title={title} viewer={undefined} path={`/${mode}`}>
          <AuthForm mode={mode} next={next} values={values} error={error} />
        </Layout>,
        status,
      );
    if (await authRateLimited(c)) {
      return again(
        { code: 'too_many_requests', message: 'Too many attempts. Wait a minute and try again.' },
        429,
      );
    }
    if (mode === 'register') {
      // The API accepts a registration the same way whether or not the email is taken (no session,
      // so no account oracle); signing in with the same credentials tells the two apart for the
      // one person who may know: whoever holds the password.
      const registered = await callApi(c, '/api/v1/auth/register', RegistrationAcceptedMiniSchema, {
        method: 'POST',
        body: { ...values, password: form.password ?? '' },
      });
      if (!registered.ok) return again(registered.error, apiStatus(registered.status));
    }
    const res = await callApi(c, '/api/v1/auth/login', SessionMiniSchema, {
      method: 'POST',
      body: { email: values.email, password: form.password ?? '' },
    });
    if (!res.ok) {
      if (mode === 'login') return again(res.error, apiStatus(res.status));
      return sendPage(
        c,
        <Layout title="Sign in" viewer={undefined} path="/login">
          <AuthForm
            mode="login"
            next={next}
            values={values}
            error={{
              code: res.error.code,
              message: 'Your registration was received. Sign in to continue.',
            }}
          />
        </Layout>,
        res.status === 429 ? 429 : 200,
      );
    }
    for (const cookie of sessionCookies(c, res.data)) c.header('set-cookie', cookie, { append: true });
    return c.redirect(next, 303);
  };
}

/** The status a form page answers with when the API refused it. */
function apiStatus(status: number): 400 | 401 | 429 | 502 {
  return status === 429 ? 429 : status === 401 ? 401 : status >= 500 ? 502 : 400;
}

/** `GET /logout`: a confirmation button, since a plain link must not sign anyone out (CSRF). */
export async function logoutPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect('/', 303);
  return sendPage(
    c,
    <MessagePage
      title="Sign out"
      viewer={session.viewer}
      heading="Sign out of Vidra?"
      message={`You are signed in as @${session.viewer.username}.`}
      action={
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      }
    />,
  );
}

/** `POST /logout`: revoke the refresh token at the API, then forget both cookies. */
export async function logoutSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const refreshToken = getCookie(c, REFRESH_COOKIE);
  if (refreshToken) {
    // Best effort: the cookies go either way, and an unused refresh token expires on its own.
    await callApi(c, '/api/v1/auth/logout', NO_CONTENT, { method: 'POST', body: { refreshToken } }).catch(
      () => undefined,
    );
  }
  for (const cookie of clearedCookies(c)) c.header('set-cookie', cookie, { append: true });
  return c.redirect('/', 303);
}

import type { Context } from 'hono';
import { RemoteFollowListMiniSchema } from '../../../protocol/api/federation-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { Field, formFields } from './forms.js';
import { getSession } from './session.js';

export const FEED_PATH = '/feed/subscriptions';
const SUBMIT_PATH = '/feed/subscriptions/remote';

/** What the panel says after a submit: fixed texts keyed by `?remote=`, never echoed input. */
const OUTCOMES = {
  sent: 'Follow request sent. Its videos appear here once the channel’s instance accepts.',
  unfollowed: 'You no longer follow that channel.',
  not_found: 'No channel was found there. Check the address (@channel@host or the channel’s URL).',
  invalid: 'That is not a channel Vidra can follow.',
  failed: 'The follow could not be sent. Try again in a moment.',
} as const;
type Outcome = keyof typeof OUTCOMES;

const STATE_LABELS = { pending: 'Pending', accepted: 'Following', rejected: 'Refused' } as const;

type RemoteFollows = Awaited<ReturnType<typeof loadRemoteFollows>>;

/** The signed-in viewer's remote follows, or undefined when they could not be loaded. */
export async function loadRemoteFollows(c: Context<EdgeEnv>, token: string) {
  const res = await callApi(c, '/api/v1/users/me/subscriptions/remote', RemoteFollowListMiniSchema, {
    token,
  });
  return res.ok ? res.data.data : undefined;
}

/**
 * Following channels of other instances (issue 14): a form taking `@channel@host` or the channel's
 * URL, and the channels asked for, each with its state (pending until the instance accepts).
 */
export function RemoteFollowPanel(props: { follows: RemoteFollows; outcome: string | undefined }) {
  const outcome = props.outcome && props.outcome in OUTCOMES ? OUTCOMES[props.outcome as Outcome] : undefined;
  return (
    <section class="remote-follow" aria-labelledby="remote-follow-heading">
      <h2 id="remote-follow-heading">Channels on other instances</h2>
      <form method="post" action={SUBMIT_PATH} class="remote-follow-form">
        <input type="hidden" name="action" value="follow" />
        <Field
          id="remote-uri"
          name="uri"
          label="Follow a remote channel"
          hint="@channel@host, or the channel's URL"
          required
          maxlength={300}
        />
        <button type="submit">Follow</button>
      </form>
      {outcome ? (
        <p class="notice" role="status">
          {outcome}
        </p>
      ) : null}
      {props.follows === undefined ? (
        <p class="notice">Your remote channels could not be loaded.</p>
      ) : props.follows.length ? (
        <ul class="remote-follows" aria-label="Remote channels">
          {props.follows.map((f) => (
            <li data-state={f.state}>
              <span class="remote-name">{f.displayName}</span> <span class="remote-handle">@{f.handle}</span>{' '}
              <span class="remote-state">{STATE_LABELS[f.state]}</span>
              <form method="post" action={SUBMIT_PATH} class="inline-form">
                <input type="hidden" name="action" value="unfollow" />
                <input type="hidden" name="uri" value={f.handle} />
                <button type="submit" aria-label={`Unfollow ${f.handle}`}>
                  Unfollow
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** `POST /feed/subscriptions/remote`: follow (or unfollow) a remote channel, then back to the feed. */
export async function remoteFollowSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const form = await formFields(c);
  const { token } = await getSession(c);
  if (!token) return c.redirect(`/login?next=${encodeURIComponent(FEED_PATH)}`, 303);
  const uri = (form.uri ?? '').trim().slice(0, 300);
  const unfollow = form.action === 'unfollow';
  const res = unfollow
    ? await callApi(c, `/api/v1/users/me/subscriptions/${encodeURIComponent(uri)}`, NO_CONTENT, {
        method: 'DELETE',
        token,
      })
    : await callApi(c, '/api/v1/users/me/subscriptions', NO_CONTENT, {
        method: 'POST',
        token,
        body: { uri },
      });
  let outcome: Outcome = unfollow ? 'unfollowed' : 'sent';
  if (!res.ok)
    outcome =
      res.status === 404
        ? unfollow
          ? 'unfollowed'
          : 'not_found'
        : res.status === 400
          ? 'invalid'
          : 'failed';
  return c.redirect(`${FEED_PATH}?remote=${outcome}`, 303);
}

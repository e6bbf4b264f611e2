import type { Context } from 'hono';
import { HistoryPageMiniSchema } from '../../../protocol/api/discover-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { Layout, sendPage } from './layout.js';
import { changeThenRedirect, sendMessage, signedInPost } from './page-actions.js';
import { getSession } from './session.js';
import { formatDuration } from './video-list.js';

/** `GET /history`: what the viewer watched, last first, with where they stopped; pause and clear. */
export async function historyPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent('/history')}`, 303);
  const res = await callApi(c, '/api/v1/users/me/history/videos?count=100', HistoryPageMiniSchema, {
    token: session.token,
  });
  if (!res.ok) {
    const message = 'Vidra could not load your history. Try again in a moment.';
    return sendMessage(
      c,
      session,
      { title: 'History', heading: 'Something went wrong', message, path: '/history' },
      502,
    );
  }
  const { data, videosHistoryEnabled: enabled } = res.data;
  return sendPage(
    c,
    <Layout title="History" viewer={session.viewer} path="/history">
      <section aria-labelledby="history-heading">
        <h1 id="history-heading">Watch history</h1>
        <p role="status">
          {enabled ? 'Your history is on.' : 'Your history is paused: nothing new is recorded.'}
        </p>
        <div class="history-actions">
          <form method="post" action="/history/pause" class="inline-form">
            <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
            <button type="submit">{enabled ? 'Pause history' : 'Resume history'}</button>
          </form>{' '}
          <form method="post" action="/history/clear" class="inline-form">
            <button type="submit">Clear history</button>
          </form>
        </div>
        {data.length ? (
          <ol class="history-list" aria-labelledby="history-heading">
            {data.map((video) => (
              <li>
                <a href={`/w/${video.id}`}>{video.title}</a>{' '}
                <span class="muted">
                  {video.channel.displayName} · stopped at {formatDuration(video.userHistory.currentTime)}
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="empty">Nothing watched yet.</p>
        )}
      </section>
    </Layout>,
  );
}

/** `POST /history/pause`: `enabled=false` pauses, `enabled=true` resumes (PeerTube's `videosHistoryEnabled`). */
export const historyPauseSubmit = signedInPost(
  () => '/history',
  (c, session, form) =>
    changeThenRedirect(
      c,
      session,
      { method: 'PUT', path: '/api/v1/users/me', body: { videosHistoryEnabled: form.enabled === 'true' } },
      '/history',
    ),
);

/** `POST /history/clear`: forget everything watched. */
export const historyClearSubmit = signedInPost(
  () => '/history',
  (c, session) =>
    changeThenRedirect(c, session, { method: 'DELETE', path: '/api/v1/users/me/history/videos' }, '/history'),
);

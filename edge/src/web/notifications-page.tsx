import type { Context } from 'hono';
import type { NotificationDto } from '../../../protocol/api/notifications.js';
import {
  NotificationPageMiniSchema,
  NotificationSettingsMiniSchema,
} from '../../../protocol/api/social-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { NotificationSettingsForm } from './notification-settings.js';
import { getSession } from './session.js';

const PATH = '/notifications';

/** One notice in words, linking what it is about. */
function NoticeText(props: { notice: NotificationDto }) {
  const n = props.notice;
  const video = n.video ?? n.comment?.video;
  const link = video ? <a href={`/w/${video.uuid}`}>{video.name}</a> : 'a video';
  const channel = video?.channel.displayName ?? 'A channel you follow';
  const who = n.account?.name ?? 'Someone';
  switch (n.kind) {
    case 'new_video_from_subscription':
      return (
        <>
          {channel} published {link}
        </>
      );
    case 'new_live_from_subscription':
      return (
        <>
          {channel} is live: {link}
        </>
      );
    case 'my_video_published':
      return <>Your video {link} is ready to watch</>;
    case 'my_video_failed':
      return <>Your video {link} could not be processed</>;
    case 'my_live_started':
      return <>Your live {link} is on air</>;
    case 'reply_to_my_comment':
      return (
        <>
          @{who} replied to your comment on {link}
        </>
      );
    case 'new_comment_on_my_video':
      return (
        <>
          @{who} commented on {link}
        </>
      );
  }
}

function NoticeItem(props: { notice: NotificationDto }) {
  const n = props.notice;
  return (
    <li class={n.read ? 'notice-item read' : 'notice-item unread'}>
      <p>
        {n.read ? null : <span class="visually-hidden">Unread: </span>}
        <NoticeText notice={n} /> <time datetime={n.createdAt}>{n.createdAt.slice(0, 10)}</time>
      </p>
      {n.read ? null : (
        <form method="post" action={`${PATH}/read`} class="inline-form">
          <input type="hidden" name="id" value={String(n.id)} />
          <button type="submit" class="link-button">
            Mark read
          </button>
        </form>
      )}
    </li>
  );
}

/** `GET /notifications`: the viewer's notices, newest first, with mark read and mark all read. */
export async function notificationsPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent(PATH)}`, 303);
  const query = new URLSearchParams({ count: '50' });
  const cursor = c.req.query('cursor');
  if (cursor) query.set('cursor', cursor.slice(0, 200));
  const [res, settings] = await Promise.all([
    callApi(c, `/api/v1/users/me/notifications?${query}`, NotificationPageMiniSchema, {
      token: session.token,
    }),
    callApi(c, '/api/v1/users/me/notification-settings', NotificationSettingsMiniSchema, {
      token: session.token,
    }),
  ]);
  if (!res.ok) {
    const page = (
      <MessagePage
        title="Something went wrong"
        viewer={session.viewer}
        path={PATH}
        heading="Something went wrong"
        message="Vidra could not load your notifications. Try again in a moment."
      />
    );
    return sendPage(c, page, 502);
  }
  const notices = res.data.data;
  const anyUnread = notices.some((n) => !n.read);
  return sendPage(
    c,
    <Layout title="Notifications" viewer={session.viewer} path={PATH}>
      <section class="narrow" aria-labelledby="notifications-heading">
        <h1 id="notifications-heading">Notifications</h1>
        {anyUnread ? (
          <form method="post" action={`${PATH}/read`}>
            <input type="hidden" name="all" value="true" />
            <button type="submit">Mark all read</button>
          </form>
        ) : null}
        {notices.length ? (
          <ul class="notices" aria-labelledby="notifications-heading">
            {notices.map((n) => (
              <NoticeItem notice={n} />
            ))}
          </ul>
        ) : (
          <p>Nothing new. You are told here when channels you follow publish, and about your videos.</p>
        )}
        {res.data.nextCursor ? (
          <nav class="pager" aria-label="Pagination">
            <a href={`${PATH}?cursor=${encodeURIComponent(res.data.nextCursor)}`}>Older notifications</a>
          </nav>
        ) : null}
        {settings.ok ? (
          <>
            <h2 id="settings-heading">What you are told, and how</h2>
            <NotificationSettingsForm settings={settings.data} />
          </>
        ) : null}
      </section>
    </Layout>,
  );
}

/** `POST /notifications/read`: one notice (`id`) or all of them (`all`), then back to the list. */
export async function notificationsReadSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const session = await getSession(c);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent(PATH)}`, 303);
  const form = await formFields(c);
  const id = Number(form.id);
  if (form.all === 'true') {
    await callApi(c, '/api/v1/users/me/notifications/read-all', NO_CONTENT, {
      method: 'POST',
      token: session.token,
    });
  } else if (Number.isInteger(id) && id > 0) {
    await callApi(c, '/api/v1/users/me/notifications/read', NO_CONTENT, {
      method: 'POST',
      token: session.token,
      body: { ids: [id] },
    });
  }
  return c.redirect(PATH, 303);
}

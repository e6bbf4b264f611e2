import type { Context } from 'hono';
import { createContext, useContext } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { UnreadCountMiniSchema } from '../../../protocol/api/social-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { loadedSession } from './session.js';

/** The viewer's unread notifications while a page renders; undefined when unknown. */
const UnreadCount = createContext<number | undefined>(undefined);

/** The header's link to the notifications, with the unread count when there is one. */
export function NotificationBell() {
  const unread = useContext(UnreadCount);
  const label = unread ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <a href="/notifications" class="bell" aria-label={label}>
      Notifications
      {unread ? (
        <span class="badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </a>
  );
}

/**
 * Render `page` with the signed-in viewer's unread count for the bell. Only a session the handler
 * already loaded is used (no extra sign-in work, no cookies rotated here); a failed count leaves
 * the bell without a number rather than failing the page.
 */
export async function withUnreadCount(c: Context<EdgeEnv>, page: HtmlEscapedString): Promise<string> {
  const session = await loadedSession(c);
  let unread: number | undefined;
  if (session?.viewer && session.token) {
    const res = await callApi(c, '/api/v1/users/me/notifications/unread-count', UnreadCountMiniSchema, {
      token: session.token,
    });
    if (res.ok) unread = res.data.unread;
  }
  return String(<UnreadCount.Provider value={unread}>{page}</UnreadCount.Provider>);
}

import type { Context } from 'hono';
import type { NotificationSettings } from '../../../protocol/api/notifications.js';
import {
  NOTIFICATION_SETTING_NAMES,
  NOTIFY_EMAIL,
  NOTIFY_WEB,
  type NotificationSettingName,
} from '../../../protocol/social-enums.js';
import type { EdgeEnv } from '../context.js';
import { callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';

const LABELS: Record<NotificationSettingName, string> = {
  newVideoFromSubscription: 'New videos and lives of my subscriptions',
  newCommentOnMyVideo: 'Comments on my videos',
  commentMention: 'Replies to my comments',
  myVideoPublished: 'My video is ready',
  myVideoImportFinished: 'My video could not be processed',
  myLiveStarted: 'My live is on air',
};

function Checkbox(props: { name: string; label: string; checked: boolean }) {
  const id = `ns-${props.name.replace('.', '-')}`;
  return (
    <span class="checkbox">
      <input type="checkbox" id={id} name={props.name} value="on" checked={props.checked} />{' '}
      <label for={id}>{props.label}</label>
    </span>
  );
}

/** Per kind: in the app and by email, as two checkboxes of one fieldset. */
export function NotificationSettingsForm(props: { settings: NotificationSettings }) {
  return (
    <form method="post" action="/notifications/settings" class="stack notification-settings">
      {NOTIFICATION_SETTING_NAMES.map((name) => {
        const value = props.settings[name];
        return (
          <fieldset>
            <legend>{LABELS[name]}</legend>
            <Checkbox name={`${name}.web`} label="In Vidra" checked={(value & NOTIFY_WEB) !== 0} />{' '}
            <Checkbox name={`${name}.email`} label="By email" checked={(value & NOTIFY_EMAIL) !== 0} />
          </fieldset>
        );
      })}
      <button type="submit">Save settings</button>
    </form>
  );
}

/** `POST /notifications/settings`: every setting from its two checkboxes, then back to the page. */
export async function notificationSettingsSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const session = await getSession(c);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent('/notifications')}`, 303);
  const form = await formFields(c);
  const settings = Object.fromEntries(
    NOTIFICATION_SETTING_NAMES.map((name) => [
      name,
      (form[`${name}.web`] ? NOTIFY_WEB : 0) | (form[`${name}.email`] ? NOTIFY_EMAIL : 0),
    ]),
  );
  const res = await callApi(c, '/api/v1/users/me/notification-settings', NO_CONTENT, {
    method: 'PUT',
    token: session.token,
    body: settings,
  });
  if (!res.ok) {
    const page = (
      <MessagePage
        title="Something went wrong"
        viewer={session.viewer}
        heading="Your settings were not saved"
        message="Vidra could not save them. Try again in a moment."
      />
    );
    return sendPage(c, page, 502);
  }
  return c.redirect('/notifications#settings-heading', 303);
}

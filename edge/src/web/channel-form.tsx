import type { Context } from 'hono';
import { ChannelMiniSchema } from '../../../protocol/api/channels-mini.js';
import type { EdgeEnv } from '../context.js';
import { type ApiError, callApi, fieldErrors } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { Field, FormError, formFields, nextPath } from './forms.js';
import { Layout, sendPage } from './layout.js';
import { getSession } from './session.js';

/** The create-a-channel form; also shown on the upload page to users who have no channel yet. */
export function ChannelForm(props: {
  next?: string;
  values?: Record<string, string>;
  error?: ApiError | undefined;
}) {
  const errors = fieldErrors(props.error);
  const values = props.values ?? {};
  return (
    <>
      <FormError message={props.error && !props.error.fields ? props.error.message : undefined} />
      <form method="post" action="/channels/new" class="stack">
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <Field
          id="handle"
          label="Handle"
          required
          minlength={2}
          maxlength={40}
          pattern="[A-Za-z0-9_.\-]+"
          hint="Your channel's address: /c/handle. Letters, digits, dots, dashes and underscores."
          value={values.handle}
          error={errors.handle}
        />
        <Field
          id="displayName"
          label="Display name"
          required
          maxlength={100}
          value={values.displayName}
          error={errors.displayName}
        />
        <Field
          id="description"
          label="Description (optional)"
          multiline
          maxlength={5000}
          value={values.description}
          error={errors.description}
        />
        <button type="submit">Create channel</button>
      </form>
    </>
  );
}

function page(viewer: Parameters<typeof Layout>[0]['viewer'], form: Parameters<typeof ChannelForm>[0]) {
  return (
    <Layout title="New channel" viewer={viewer} path="/channels/new">
      <section class="narrow" aria-labelledby="channel-form-heading">
        <h1 id="channel-form-heading">Create a channel</h1>
        <p>Videos are published on a channel. You can have several.</p>
        <ChannelForm {...form} />
      </section>
    </Layout>
  );
}

/** `GET /channels/new` (signed-in users only). */
export async function newChannelPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent('/channels/new')}`, 303);
  const next = c.req.query('next');
  return sendPage(c, page(session.viewer, next ? { next: nextPath(c, next) } : {}));
}

/** `POST /channels/new`: create it through the API, then go to `next` or the new channel. */
export async function newChannelSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent('/channels/new')}`, 303);
  const form = await formFields(c);
  const values = {
    handle: form.handle ?? '',
    displayName: form.displayName ?? '',
    description: form.description ?? '',
  };
  const res = await callApi(c, '/api/v1/channels', ChannelMiniSchema, {
    method: 'POST',
    token: session.token,
    body: {
      handle: values.handle,
      displayName: values.displayName,
      ...(values.description ? { description: values.description } : {}),
    },
  });
  if (!res.ok) {
    const status = res.status >= 500 ? 502 : 400;
    const next = form.next ? nextPath(c, form.next) : undefined;
    return sendPage(c, page(session.viewer, { values, error: res.error, ...(next ? { next } : {}) }), status);
  }
  return c.redirect(nextPath(c, form.next, `/c/${encodeURIComponent(res.data.handle)}`), 303);
}

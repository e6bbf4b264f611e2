import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { ChannelMiniSchema } from '../../../protocol/api/channels-mini.js';
import { LiveEndpointMiniSchema, LiveIngestAnswerMiniSchema } from '../../../protocol/api/live-mini.js';
import { VideoMiniSchema } from '../../../protocol/api/videos-mini.js';
import type { LiveIngestAnswer } from '../../../protocol/live.js';
import type { EdgeEnv, EdgeViewer } from '../context.js';
import { type ApiError, callApi } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { FreshKey, LiveDashboard, LiveSetup, liveFormPath } from './live-views.js';
import { getSession, type Session } from './session.js';

type Viewer = EdgeViewer | undefined;

/** What the Go-live page needs to know before it renders anything: the signed-in owner and the channel. */
type Owner =
  | { ok: true; session: Session & { viewer: EdgeViewer }; handle: string; displayName: string }
  | { ok: false; response: Response | Promise<Response> };

/** A page that only says what went wrong: a 404 for anyone but the owner, or a 502. */
function problem(c: Context<EdgeEnv>, viewer: Viewer, path: string, status: 404 | 502) {
  const [heading, message] =
    status === 404
      ? // The same 404 as for a channel that does not exist: the key is the owner's alone.
        ['Channel not found', 'There is no channel with this name that you own.']
      : ['Something went wrong', 'Vidra could not load your live settings. Try again in a moment.'];
  return sendPage(
    c,
    <MessagePage title={heading} viewer={viewer} path={path} heading={heading} message={message} />,
    status,
  );
}

/** Signed in, and the owner of `:handle`; else the redirect to sign in, a 404 or a 502. */
async function requireOwner(c: Context<EdgeEnv>): Promise<Owner> {
  const handle = c.req.param('handle') ?? '';
  const path = liveFormPath(handle);
  const session = await getSession(c);
  const viewer = session.viewer;
  if (!viewer) return { ok: false, response: c.redirect(`/login?next=${encodeURIComponent(path)}`, 303) };
  const channel = await callApi(c, `/api/v1/channels/${encodeURIComponent(handle)}`, ChannelMiniSchema, {
    token: session.token,
  });
  if (!channel.ok) {
    if (channel.status === 404 || channel.status === 400)
      return { ok: false, response: problem(c, viewer, path, 404) };
    return { ok: false, response: problem(c, viewer, path, 502) };
  }
  if (channel.data.ownerId !== viewer.userId) return { ok: false, response: problem(c, viewer, path, 404) };
  return {
    ok: true,
    session: { ...session, viewer },
    handle: channel.data.handle,
    displayName: channel.data.displayName,
  };
}

function page(owner: Extract<Owner, { ok: true }>, body: Child) {
  return (
    <Layout
      title={`Go live · ${owner.displayName}`}
      viewer={owner.session.viewer}
      path={liveFormPath(owner.handle)}
    >
      <section class="narrow live-page" aria-labelledby="live-heading">
        <h1 id="live-heading">Go live on {owner.displayName}</h1>
        {body}
      </section>
    </Layout>
  );
}

/** The endpoint of the owner's channel, `undefined` when it has none yet. */
async function readEndpoint(c: Context<EdgeEnv>, owner: Extract<Owner, { ok: true }>) {
  return callApi(c, `/api/v1/channels/${encodeURIComponent(owner.handle)}/live`, LiveEndpointMiniSchema, {
    token: owner.session.token,
  });
}

/** The dashboard, or the setup form when the channel has no key; `extra` goes above it. */
async function renderCurrent(
  c: Context<EdgeEnv>,
  owner: Extract<Owner, { ok: true }>,
  options: {
    fresh?: LiveIngestAnswer['ingest'];
    saved?: boolean;
    settingsError?: ApiError;
    rotateError?: ApiError;
    setupError?: ApiError;
    status?: 200 | 400 | 502;
  } = {},
) {
  const endpoint = await readEndpoint(c, owner);
  if (!endpoint.ok && endpoint.status !== 404)
    return problem(c, owner.session.viewer, liveFormPath(owner.handle), 502);
  // On air: the live video's viewers and stream health (a failed read only leaves them out).
  const onAir = endpoint.ok && endpoint.data.state === 'live' ? endpoint.data.videoId : null;
  const video = onAir
    ? await callApi(c, `/api/v1/videos/${encodeURIComponent(onAir)}`, VideoMiniSchema, {
        token: owner.session.token,
      })
    : undefined;
  const body = endpoint.ok ? (
    <>
      {options.fresh ? <FreshKey ingest={options.fresh} /> : null}
      <LiveDashboard
        handle={owner.handle}
        endpoint={endpoint.data}
        live={video?.ok ? video.data.live : undefined}
        saved={options.saved ?? false}
        settingsError={options.settingsError}
        rotateError={options.rotateError}
      />
    </>
  ) : (
    <LiveSetup handle={owner.handle} error={options.setupError} />
  );
  const res = await sendPage(c, page(owner, body), options.status ?? 200);
  // A page with a fresh key must never come back from a cache or the history: it is its only copy.
  if (options.fresh) res.headers.set('cache-control', 'no-store');
  return res;
}

/** `GET /channels/:handle/live`: the Go-live page, for the channel's owner only. */
export async function livePage(c: Context<EdgeEnv>) {
  const owner = await requireOwner(c);
  if (!owner.ok) return owner.response;
  return renderCurrent(c, owner, { saved: c.req.query('saved') === '1' });
}

/** The secrets of a create or rotate, shown once; 409 (a key exists) just shows the dashboard. */
function issueKey(action: '' | '/key') {
  return async (c: Context<EdgeEnv>) => {
    if (!isSameOrigin(c)) return crossSiteRefusal(c);
    const owner = await requireOwner(c);
    if (!owner.ok) return owner.response;
    const res = await callApi(
      c,
      `/api/v1/channels/${encodeURIComponent(owner.handle)}/live${action}`,
      LiveIngestAnswerMiniSchema,
      { method: 'POST', token: owner.session.token },
    );
    if (res.ok) return renderCurrent(c, owner, { fresh: res.data.ingest });
    // A second click on "create" (another tab, a retry) must not look like a failure.
    if (res.status === 409) return c.redirect(liveFormPath(owner.handle), 303);
    const status = res.status >= 500 ? 502 : 400;
    return renderCurrent(
      c,
      owner,
      action === '' ? { setupError: res.error, status } : { rotateError: res.error, status },
    );
  };
}

/** `POST /channels/:handle/live`: create the stream key. */
export const liveCreateSubmit = issueKey('');
/** `POST /channels/:handle/live/key`: rotate it; the old one is refused from now on. */
export const liveRotateSubmit = issueKey('/key');

/** Form fields as the PATCH body: a number where the field holds one, the text otherwise (the API says why). */
function settingsBody(form: Record<string, string>) {
  const seconds = Number(form.dvrWindowSeconds);
  return {
    ...(form.ladder ? { ladder: form.ladder } : {}),
    // An unticked checkbox is not sent at all.
    record: form.record === 'on',
    dvrWindowSeconds:
      form.dvrWindowSeconds?.trim() && Number.isFinite(seconds) ? seconds : form.dvrWindowSeconds,
  };
}

/** `POST /channels/:handle/live/settings`: PATCH the settings, then back to the page (Post/Redirect/Get). */
export async function liveSettingsSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const owner = await requireOwner(c);
  if (!owner.ok) return owner.response;
  const res = await callApi(
    c,
    `/api/v1/channels/${encodeURIComponent(owner.handle)}/live`,
    LiveEndpointMiniSchema,
    { method: 'PATCH', token: owner.session.token, body: settingsBody(await formFields(c)) },
  );
  if (res.ok) return c.redirect(`${liveFormPath(owner.handle)}?saved=1`, 303);
  return renderCurrent(c, owner, { settingsError: res.error, status: res.status >= 500 ? 502 : 400 });
}

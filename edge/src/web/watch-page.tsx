import type { Context } from 'hono';
import { RemoteVideoMediaMiniSchema } from '../../../protocol/api/federation-mini.js';
import { VideoMiniSchema } from '../../../protocol/api/videos-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { ChatPanel } from './chat-panel.js';
import { CommentsSection } from './comments-panel.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';
import { loadWatchSocial, WatchSocial } from './social-pages.js';
import { loadWatchDiscovery, WatchDiscoveryStrip } from './watch-social.js';
import { EndedView, FailedView, LiveView, PasswordView, ProcessingView, ReadyView } from './watch-views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Scripts of a page with a player, in order: `watch.js` uses the others as soon as it runs. */
const PLAYER_SCRIPTS = ['/static/vendor/hls.min.js', '/static/player.js', '/static/watch.js'];
const PROCESSING_SCRIPTS = ['/static/progress.js', '/static/watch.js'];
/** A ready video still encoding its ladder also follows the encoding's progress. */
const ENCODING_PLAYER_SCRIPTS = ['/static/vendor/hls.min.js', '/static/player.js', ...PROCESSING_SCRIPTS];
/** A live video follows its state too, to say when the stream ended, and may play over WebRTC. */
const LIVE_PLAYER_SCRIPTS = [
  '/static/vendor/hls.min.js',
  '/static/player.js',
  '/static/realtime.js',
  ...PROCESSING_SCRIPTS,
];
/** The live chat panel's script: the room on a live, the messages in step with a replay. */
const CHAT_SCRIPT = '/static/chat.js';

/**
 * `GET /w/:id`: the watch page. What it shows follows what the API answers for this viewer:
 * 404 (missing or private: the two are indistinguishable on purpose), 401 (internal video, signed
 * out), 403 `password_required` (a password form), or the video, whose state picks between the
 * player, the processing progress and the failure reason.
 */
export async function watchPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  const id = c.req.param('id') ?? '';
  const path = `/w/${encodeURIComponent(id)}`;
  const viewer = session.viewer;
  const notFound = () =>
    sendPage(
      c,
      <MessagePage
        title="Video not found"
        viewer={viewer}
        path={path}
        heading="Video not found"
        message="This video does not exist, was removed, or is private."
        action={<a href="/">Back to the latest videos</a>}
      />,
      404,
    );
  if (!UUID.test(id)) return notFound();

  const res = await callApi(c, `/api/v1/videos/${id}`, VideoMiniSchema, { token: session.token });
  if (!res.ok) {
    if (res.status === 404 || res.status === 400) return notFound();
    if (res.status === 401) {
      const page = (
        <MessagePage
          title="Sign in to watch"
          viewer={viewer}
          path={path}
          heading="Sign in to watch this video"
          message="This video is only visible to members of this Vidra instance."
          action={<a href={`/login?next=${encodeURIComponent(path)}`}>Sign in</a>}
        />
      );
      return sendPage(c, page, 401);
    }
    if (res.status === 403 && res.error.code === 'password_required') {
      // 200 like any page whose form works, as a sign-in page is; the API's 403 stays an API matter.
      const page = (
        <Layout title="Protected video" viewer={viewer} path={path} scripts={PLAYER_SCRIPTS}>
          <PasswordView id={id} />
        </Layout>
      );
      return sendPage(c, page);
    }
    const page = (
      <MessagePage
        title="Something went wrong"
        viewer={viewer}
        path={path}
        heading="This video cannot be shown right now"
        message="Vidra could not load it. Try again in a moment."
      />
    );
    return sendPage(c, page, 502);
  }

  const video = res.data;
  if (video.state === 'deleted') return notFound();
  if (video.state === 'ready') {
    // A ready video without a ladder of ours is another instance's: it plays from there.
    const remote = video.renditions?.length
      ? undefined
      : await callApi(c, `/api/v1/videos/${id}/remote`, RemoteVideoMediaMiniSchema).then((r) =>
          r.ok ? r.data : undefined,
        );
    const social = await loadWatchSocial(c, video);
    const discovery = await loadWatchDiscovery(c, session, video.id);
    if (remote) {
      const origins = [remote.hls, remote.thumbnail].flatMap((u) =>
        u && URL.canParse(u) ? [new URL(u).origin] : [],
      );
      return sendPage(
        c,
        <Layout title={video.title} viewer={viewer} path={path} scripts={PLAYER_SCRIPTS}>
          <ReadyView video={video} remote={remote} />
          <WatchSocial {...social} />
          {await CommentsSection({ c, video, session })}
          <WatchDiscoveryStrip video={video} discovery={discovery} path={path} />
        </Layout>,
        200,
        [...new Set(origins)],
      );
    }
    return sendPage(
      c,
      <Layout
        title={video.title}
        viewer={viewer}
        path={path}
        scripts={[...(video.processing ? ENCODING_PLAYER_SCRIPTS : PLAYER_SCRIPTS), CHAT_SCRIPT]}
      >
        <ReadyView video={video} />
        <ChatPanel videoId={video.id} mode="replay" />
        <WatchSocial {...social} />
        {await CommentsSection({ c, video, session })}
        <WatchDiscoveryStrip video={video} discovery={discovery} path={path} />
      </Layout>,
    );
  }
  if (video.state === 'live') {
    // progress.js follows the video's state, so the page says so when the stream ends.
    const social = await loadWatchSocial(c, video);
    return sendPage(
      c,
      <Layout title={video.title} viewer={viewer} path={path} scripts={[...LIVE_PLAYER_SCRIPTS, CHAT_SCRIPT]}>
        <LiveView video={video} />
        <ChatPanel videoId={video.id} mode="live" />
        <WatchSocial {...social} />
        {/* Heartbeats while playing: the live's viewer count (views.js). */}
        <script src="/static/views.js" />
      </Layout>,
    );
  }
  if (video.state === 'ended') {
    return sendPage(
      c,
      <Layout title={video.title} viewer={viewer} path={path}>
        <EndedView video={video} />
      </Layout>,
    );
  }
  if (video.state === 'failed') {
    return sendPage(
      c,
      <Layout title={video.title} viewer={viewer} path={path}>
        <FailedView video={video} />
      </Layout>,
    );
  }
  return sendPage(
    c,
    <Layout title={video.title} viewer={viewer} path={path} scripts={PROCESSING_SCRIPTS}>
      <ProcessingView video={video} />
    </Layout>,
  );
}

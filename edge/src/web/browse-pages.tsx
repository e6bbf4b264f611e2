import type { Context } from 'hono';
import { ChannelMiniSchema } from '../../../protocol/api/channels-mini.js';
import { VideoPageMiniSchema } from '../../../protocol/api/videos-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';
import { loadChannelSubscribe } from './social-pages.js';
import { SubscribeButton } from './social-views.js';
import { thumbnailUrls } from './thumbnails.js';
import { isWatchable, Pager, VideoGrid } from './video-list.js';

const PAGE_SIZE = 24;

function listQuery(c: Context<EdgeEnv>, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...extra });
  const cursor = c.req.query('cursor');
  if (cursor) query.set('cursor', cursor.slice(0, 100));
  return query.toString();
}

/** The page for an API failure on a read: its own 4xx (a bad cursor) or a 502. */
function apiTrouble(c: Context<EdgeEnv>, status: number, viewer: Parameters<typeof Layout>[0]['viewer']) {
  return sendPage(
    c,
    <MessagePage
      title="Something went wrong"
      viewer={viewer}
      heading="Something went wrong"
      message={
        status === 400
          ? 'That page does not exist.'
          : 'Vidra could not load this page. Try again in a moment.'
      }
    />,
    status === 400 ? 400 : 502,
  );
}

/**
 * `GET /`: the latest public videos. The list is asked for anonymously on purpose, so the home
 * page shows every visitor the same thing, and only ready and live videos are shown there.
 */
export async function homePage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  const res = await callApi(c, `/api/v1/videos?${listQuery(c)}`, VideoPageMiniSchema);
  if (!res.ok) return apiTrouble(c, res.status, session.viewer);
  const videos = res.data.data.filter(isWatchable);
  const thumbnails = await thumbnailUrls(c, videos);
  return sendPage(
    c,
    <Layout title="Home" viewer={session.viewer} path="/">
      <section aria-labelledby="latest-heading">
        <h1 id="latest-heading">Latest videos</h1>
        <VideoGrid
          videos={videos}
          thumbnails={thumbnails}
          labelledBy="latest-heading"
          empty="No videos yet."
        />
        <Pager path="/" nextCursor={res.data.nextCursor} />
      </section>
    </Layout>,
  );
}

/**
 * `GET /c/:handle`: a channel and its videos. Visitors see its ready and live videos; the owner also sees
 * the ones still processing, failed or not public, labelled, so the channel doubles as their list.
 */
export async function channelPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  const handle = c.req.param('handle') ?? '';
  const path = `/c/${encodeURIComponent(handle)}`;
  const channel = await callApi(c, `/api/v1/channels/${encodeURIComponent(handle)}`, ChannelMiniSchema, {
    token: session.token,
  });
  if (!channel.ok) {
    if (channel.status !== 404 && channel.status !== 400)
      return apiTrouble(c, channel.status, session.viewer);
    const page = (
      <MessagePage
        title="Channel not found"
        viewer={session.viewer}
        path={path}
        heading="Channel not found"
        message="There is no channel with this name."
      />
    );
    return sendPage(c, page, 404);
  }
  const isOwner = session.viewer?.userId === channel.data.ownerId;
  const list = await callApi(
    c,
    `/api/v1/videos?${listQuery(c, { channelId: channel.data.id })}`,
    VideoPageMiniSchema,
    {
      token: session.token,
    },
  );
  if (!list.ok) return apiTrouble(c, list.status, session.viewer);
  const videos = isOwner ? list.data.data : list.data.data.filter(isWatchable);
  const thumbnails = await thumbnailUrls(c, videos);
  const subscribe = await loadChannelSubscribe(c, channel.data, path);
  return sendPage(
    c,
    <Layout title={channel.data.displayName} viewer={session.viewer} path={path}>
      <section aria-labelledby="channel-heading">
        <header class="channel-header">
          <h1 id="channel-heading">{channel.data.displayName}</h1>
          <p class="handle">@{channel.data.handle}</p>
          {channel.data.description ? <p class="description">{channel.data.description}</p> : null}
          <SubscribeButton {...subscribe} />
          {isOwner ? (
            <p>
              <a class="button" href="/upload">
                Upload a video
              </a>{' '}
              <a class="button" href={`/channels/${encodeURIComponent(channel.data.handle)}/live`}>
                Go live
              </a>
            </p>
          ) : null}
        </header>
        <h2 id="channel-videos">Videos</h2>
        <VideoGrid
          videos={videos}
          thumbnails={thumbnails}
          showChannel={false}
          labelledBy="channel-videos"
          empty="This channel has no videos yet."
        />
        <Pager path={path} nextCursor={list.data.nextCursor} />
      </section>
    </Layout>,
  );
}

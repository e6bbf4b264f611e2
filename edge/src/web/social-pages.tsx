import type { Context } from 'hono';
import type { ChannelDto } from '../../../protocol/api/channels.js';
import { ChannelMiniSchema } from '../../../protocol/api/channels-mini.js';
import type { VideoRatingValue } from '../../../protocol/api/reactions.js';
import {
  SubscriptionExistMiniSchema,
  SubscriptionFeedPageMiniSchema,
  VideoRatingMiniSchema,
} from '../../../protocol/api/social-mini.js';
import type { VideoDto } from '../../../protocol/api/videos.js';
import type { EdgeEnv } from '../context.js';
import { callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields, nextPath } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { FEED_PATH, loadRemoteFollows, RemoteFollowPanel } from './remote-follow.js';
import { getSession, type Session } from './session.js';
import { RatingButtons, SubscribeButton } from './social-views.js';
import { thumbnailUrls } from './thumbnails.js';
import { Pager, VideoGrid } from './video-list.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether the signed-in viewer subscribes to `handle`; undefined when signed out or unknown. */
async function isSubscribed(c: Context<EdgeEnv>, session: Session, handle: string) {
  if (!session.token) return undefined;
  const uris = encodeURIComponent(handle);
  const res = await callApi(
    c,
    `/api/v1/users/me/subscriptions/exist?uris=${uris}`,
    SubscriptionExistMiniSchema,
    {
      token: session.token,
    },
  );
  return res.ok ? (res.data[handle] ?? false) : undefined;
}

/** What the channel page's subscribe button shows (`<SubscribeButton {...props} />`). */
export async function loadChannelSubscribe(
  c: Context<EdgeEnv>,
  channel: Pick<ChannelDto, 'handle' | 'followersCount' | 'ownerId'>,
  path: string,
) {
  const session = await getSession(c);
  return {
    handle: channel.handle,
    followersCount: channel.followersCount,
    subscribed: await isSubscribed(c, session, channel.handle),
    signedIn: Boolean(session.viewer),
    isOwner: session.viewer?.userId === channel.ownerId,
    path,
  };
}

/**
 * Load what the watch page's social panel shows: the viewer's rating, and the channel's follower
 * count and subscribe button. A failed call leaves its part out rather than failing the page.
 */
export async function loadWatchSocial(c: Context<EdgeEnv>, video: VideoDto) {
  const session = await getSession(c);
  const path = `/w/${video.id}`;
  const [ratingRes, channelRes] = await Promise.all([
    session.token
      ? callApi(c, `/api/v1/users/me/videos/${video.id}/rating`, VideoRatingMiniSchema, {
          token: session.token,
        })
      : undefined,
    callApi(c, `/api/v1/channels/${encodeURIComponent(video.channel.handle)}`, ChannelMiniSchema, {
      token: session.token,
    }),
  ]);
  const subscribe = channelRes.ok ? await loadChannelSubscribe(c, channelRes.data, path) : undefined;
  const rating: VideoRatingValue | undefined = ratingRes?.ok ? ratingRes.data.rating : undefined;
  return { video, rating, subscribe, signedIn: Boolean(session.viewer) };
}

/** Under the player: like/dislike with counts, and subscribing to the video's channel. */
export function WatchSocial(props: Awaited<ReturnType<typeof loadWatchSocial>>) {
  const path = `/w/${props.video.id}`;
  return (
    <section class="social" aria-label="Reactions and subscription">
      <RatingButtons
        videoId={props.video.id}
        likes={props.video.likes}
        dislikes={props.video.dislikes}
        rating={props.rating}
        signedIn={props.signedIn}
        path={path}
      />
      <p class="channel-link">
        <a href={`/c/${encodeURIComponent(props.video.channel.handle)}`}>{props.video.channel.displayName}</a>
      </p>
      {props.subscribe ? <SubscribeButton {...props.subscribe} /> : null}
    </section>
  );
}

function trouble(c: Context<EdgeEnv>, viewer: Session['viewer'], message: string, status: 404 | 502) {
  const page = (
    <MessagePage title="Something went wrong" viewer={viewer} heading="That did not work" message={message} />
  );
  return sendPage(c, page, status);
}

/** `POST /w/:id/rate`: set the viewer's rating through the API, then back to the video. */
export async function rateSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const id = c.req.param('id') ?? '';
  const path = `/w/${encodeURIComponent(id)}`;
  const session = await getSession(c);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent(path)}`, 303);
  const form = await formFields(c);
  const rating = ['like', 'dislike', 'none'].includes(form.rating ?? '') ? form.rating : undefined;
  if (!UUID.test(id) || !rating) return trouble(c, session.viewer, 'This video cannot be rated.', 404);
  const res = await callApi(c, `/api/v1/videos/${id}/rate`, NO_CONTENT, {
    method: 'PUT',
    token: session.token,
    body: { rating },
  });
  if (!res.ok) {
    return trouble(c, session.viewer, 'This video cannot be rated.', res.status === 502 ? 502 : 404);
  }
  return c.redirect(path, 303);
}

/** `POST /c/:handle/subscription` (`action` subscribe or unsubscribe), then back to `next`. */
export async function subscriptionSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const handle = c.req.param('handle') ?? '';
  const session = await getSession(c);
  const form = await formFields(c);
  const next = nextPath(c, form.next, `/c/${encodeURIComponent(handle)}`);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
  const res =
    form.action === 'unsubscribe'
      ? await callApi(c, `/api/v1/users/me/subscriptions/${encodeURIComponent(handle)}`, NO_CONTENT, {
          method: 'DELETE',
          token: session.token,
        })
      : await callApi(c, '/api/v1/users/me/subscriptions', NO_CONTENT, {
          method: 'POST',
          token: session.token,
          body: { uri: handle },
        });
  // Unsubscribing twice (a second tab) is already the wanted outcome.
  if (!res.ok && !(form.action === 'unsubscribe' && res.status === 404)) {
    return trouble(
      c,
      session.viewer,
      'The subscription could not be changed.',
      res.status === 502 ? 502 : 404,
    );
  }
  return c.redirect(next, 303);
}

/** `GET /feed/subscriptions`: new videos of the viewer's subscriptions (signed-in users only). */
export async function feedPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.token) return c.redirect(`/login?next=${encodeURIComponent(FEED_PATH)}`, 303);
  const query = new URLSearchParams({ count: '24' });
  const cursor = c.req.query('cursor');
  if (cursor) query.set('cursor', cursor.slice(0, 200));
  const res = await callApi(
    c,
    `/api/v1/users/me/subscriptions/videos?${query}`,
    SubscriptionFeedPageMiniSchema,
    {
      token: session.token,
    },
  );
  if (!res.ok) return trouble(c, session.viewer, 'Vidra could not load your subscriptions.', 502);
  const [thumbnails, follows] = await Promise.all([
    thumbnailUrls(c, res.data.data),
    loadRemoteFollows(c, session.token),
  ]);
  return sendPage(
    c,
    <Layout title="Subscriptions" viewer={session.viewer} path={FEED_PATH}>
      <RemoteFollowPanel follows={follows} outcome={c.req.query('remote')} />
      <section aria-labelledby="feed-heading">
        <h1 id="feed-heading">Subscriptions</h1>
        <VideoGrid
          videos={res.data.data}
          thumbnails={thumbnails}
          labelledBy="feed-heading"
          empty="No new videos from your subscriptions. Subscribe to channels to see their videos here."
        />
        <Pager path={FEED_PATH} nextCursor={res.data.nextCursor} />
      </section>
    </Layout>,
  );
}

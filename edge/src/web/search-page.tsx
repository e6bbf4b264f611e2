import type { Context } from 'hono';
import {
  ChannelSearchPageMiniSchema,
  VideoSearchPageMiniSchema,
} from '../../../protocol/api/discover-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { Layout, sendPage } from './layout.js';
import { sendMessage } from './page-actions.js';
import { getSession } from './session.js';
import { thumbnailUrls } from './thumbnails.js';
import { isWatchable, VideoGrid } from './video-list.js';

const PAGE_SIZE = 24;

/**
 * `GET /search?search=`: matching videos (ranked, what this viewer may see, as the API decides) and
 * channels. `q` is accepted too, like the API. The viewer's token goes along, so their own private
 * videos are found by them and by nobody else.
 */
export async function searchPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  const terms = (c.req.query('search') ?? c.req.query('q') ?? '').slice(0, 200);
  const cursor = c.req.query('cursor')?.slice(0, 200);
  const path = `/search?search=${encodeURIComponent(terms)}`;
  const query = new URLSearchParams({ search: terms, count: String(PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  const [videos, channels] = await Promise.all([
    callApi(c, `/api/v1/search/videos?${query}`, VideoSearchPageMiniSchema, { token: session.token }),
    terms && !cursor
      ? callApi(
          c,
          `/api/v1/search/video-channels?search=${encodeURIComponent(terms)}&count=6`,
          ChannelSearchPageMiniSchema,
        )
      : undefined,
  ]);
  if (!videos.ok) {
    const badCursor = videos.status === 400;
    const message = badCursor
      ? 'That page of results does not exist.'
      : 'Vidra could not search right now. Try again in a moment.';
    return sendMessage(
      c,
      session,
      { title: 'Search', heading: 'Search failed', message, path },
      badCursor ? 400 : 502,
    );
  }
  const found = videos.data.data.filter(isWatchable);
  const thumbnails = await thumbnailUrls(c, found);
  const channelList = channels?.ok ? channels.data.data : [];
  const heading = terms ? `Results for “${terms}”` : 'Search';
  return sendPage(
    c,
    <Layout title={terms ? `${terms} – Search` : 'Search'} viewer={session.viewer} path={path} search={terms}>
      <section aria-labelledby="search-heading">
        <h1 id="search-heading">{heading}</h1>
        <p class="result-count" role="status">
          {videos.data.total === 1 ? '1 video' : `${videos.data.total} videos`}
        </p>
        {channelList.length ? (
          <>
            <h2 id="channel-results">Channels</h2>
            <ul class="channel-results" aria-labelledby="channel-results">
              {channelList.map((channel) => (
                <li>
                  <a href={`/c/${encodeURIComponent(channel.handle)}`}>{channel.displayName}</a>{' '}
                  <span class="handle">@{channel.handle}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2 id="video-results">Videos</h2>
        <VideoGrid
          videos={found}
          thumbnails={thumbnails}
          labelledBy="video-results"
          empty={terms ? 'No video matches this search.' : 'Type something to search for.'}
        />
        {videos.data.nextCursor ? (
          <nav class="pager" aria-label="Pagination">
            <a href={`${path}&cursor=${encodeURIComponent(videos.data.nextCursor)}`}>More results</a>
          </nav>
        ) : null}
      </section>
    </Layout>,
  );
}

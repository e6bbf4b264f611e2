import type { Context } from 'hono';
import { PlaylistPageMiniSchema, VideosExistMiniSchema } from '../../../protocol/api/discover-mini.js';
import type { PlaylistDto } from '../../../protocol/api/playlists.js';
import type { VideoDto } from '../../../protocol/api/videos.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import type { Session } from './session.js';

/** What the watch page's discovery strip needs: the viewer's playlists (none when signed out). */
export interface WatchDiscovery {
  playlists: PlaylistDto[];
  /** Ids of the viewer's playlists that already hold this video. */
  holding: Set<string>;
  /** The playlist a video was just saved to (`?saved=`), to confirm it. */
  savedTo: PlaylistDto | undefined;
  signedIn: boolean;
}

/** Load the viewer's playlists for the "Save to playlist" menu; a failure only hides the menu. */
export async function loadWatchDiscovery(
  c: Context<EdgeEnv>,
  session: Session,
  videoId: string,
): Promise<WatchDiscovery> {
  if (!session.viewer) return { playlists: [], holding: new Set(), savedTo: undefined, signedIn: false };
  const token = { token: session.token };
  const [list, exist] = await Promise.all([
    callApi(c, '/api/v1/users/me/video-playlists?count=100', PlaylistPageMiniSchema, token),
    callApi(
      c,
      `/api/v1/users/me/video-playlists/videos-exist?videoIds=${videoId}`,
      VideosExistMiniSchema,
      token,
    ),
  ]);
  const playlists = list.ok ? list.data.data : [];
  const holding = new Set(exist.ok ? (exist.data[videoId] ?? []).map((e) => e.playlistId) : []);
  const saved = c.req.query('saved');
  return { playlists, holding, savedTo: playlists.find((p) => p.id === saved), signedIn: true };
}

const formatViews = (views: number) => (views === 1 ? '1 view' : `${views.toLocaleString('en')} views`);

/**
 * Under the player: the view count, and a "Save to playlist" menu (watch later first) whose entries
 * are plain forms, so it works without JavaScript. `views.js` reports the view once playback starts.
 */
export function WatchDiscoveryStrip(props: { video: VideoDto; discovery: WatchDiscovery; path: string }) {
  const { video, discovery } = props;
  return (
    <section class="watch-discovery" aria-label="Views and playlists">
      {/* After the player in the document, so it can run at once; the page's own scripts stay as they are. */}
      <script src="/static/views.js" />
      <p class="view-count" data-view-count>
        {formatViews(video.views)}
      </p>
      {discovery.savedTo ? (
        <p class="notice" role="status">
          Saved to {discovery.savedTo.displayName}.
        </p>
      ) : null}
      {discovery.signedIn ? (
        <details class="save-menu">
          <summary>Save to playlist</summary>
          <ul>
            {discovery.playlists.map((playlist) => (
              <li>
                {discovery.holding.has(playlist.id) ? (
                  <a href={`/p/${playlist.id}`}>{playlist.displayName} (saved)</a>
                ) : (
                  <form method="post" action={`/p/${playlist.id}/videos`} class="inline-form">
                    <input type="hidden" name="videoId" value={video.id} />
                    <input type="hidden" name="next" value={props.path} />
                    <button type="submit" class="link-button">
                      {playlist.displayName}
                    </button>
                  </form>
                )}
              </li>
            ))}
            <li>
              <a href="/playlists">New playlist…</a>
            </li>
          </ul>
        </details>
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(props.path)}`}>Sign in</a> to save this video to a
          playlist.
        </p>
      )}
    </section>
  );
}

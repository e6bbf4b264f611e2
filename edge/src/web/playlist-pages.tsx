import type { Context } from 'hono';
import {
  AddedPlaylistElementMiniSchema,
  CreatedPlaylistMiniSchema,
  PlaylistElementPageMiniSchema,
  PlaylistMiniSchema,
  PlaylistPageMiniSchema,
} from '../../../protocol/api/discover-mini.js';
import type { PlaylistDto } from '../../../protocol/api/playlists.js';
import type { EdgeEnv } from '../context.js';
import { type ApiError, callApi, fieldErrors } from './api.js';
import { Field, FormError, nextPath } from './forms.js';
import { Layout, sendPage } from './layout.js';
import { actionFailed, changeThenRedirect, sendMessage, signedInPost } from './page-actions.js';
import { getSession, type Session } from './session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const playlistPath = (c: Context<EdgeEnv>) => `/p/${encodeURIComponent(c.req.param('id') ?? '')}`;

/** The create form; `values` and `error` come back when the API refused the last attempt. */
function CreatePlaylistForm(props: { values?: Record<string, string>; error?: ApiError | undefined }) {
  const errors = fieldErrors(props.error);
  return (
    <form method="post" action="/playlists" class="stack" aria-labelledby="new-playlist-heading">
      <h2 id="new-playlist-heading">New playlist</h2>
      <FormError message={props.error && !props.error.fields?.length ? props.error.message : undefined} />
      <Field
        id="displayName"
        label="Name"
        required
        maxlength={120}
        value={props.values?.displayName}
        error={errors.displayName}
      />
      <Field
        id="description"
        label="Description"
        multiline
        maxlength={1000}
        value={props.values?.description}
        error={errors.description}
      />
      <div class="field">
        <label for="privacy">Visibility</label>
        <select id="privacy" name="privacy">
          {(['private', 'unlisted', 'public'] as const).map((privacy) => (
            <option value={privacy} selected={(props.values?.privacy ?? 'private') === privacy}>
              {privacy === 'private'
                ? 'Private (only you)'
                : privacy === 'unlisted'
                  ? 'Unlisted (anyone with the link)'
                  : 'Public'}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Create playlist</button>
    </form>
  );
}

function PlaylistList(props: { playlists: PlaylistDto[] }) {
  if (!props.playlists.length) return <p class="empty">No playlists yet.</p>;
  return (
    <ul class="playlist-list" aria-labelledby="playlists-heading">
      {props.playlists.map((playlist) => (
        <li>
          <a href={`/p/${playlist.id}`}>{playlist.displayName}</a>{' '}
          <span class="badge">{playlist.privacy.label}</span>{' '}
          <span class="muted">
            {playlist.videosLength === 1 ? '1 video' : `${playlist.videosLength} videos`}
          </span>
        </li>
      ))}
    </ul>
  );
}

async function myPlaylistsView(
  c: Context<EdgeEnv>,
  session: Session,
  form: { values?: Record<string, string>; error?: ApiError } = {},
  status: 200 | 400 | 502 = 200,
) {
  const res = await callApi(c, '/api/v1/users/me/video-playlists?count=100', PlaylistPageMiniSchema, {
    token: session.token,
  });
  const playlists = res.ok ? res.data.data : [];
  return sendPage(
    c,
    <Layout title="Your playlists" viewer={session.viewer} path="/playlists">
      <section aria-labelledby="playlists-heading">
        <h1 id="playlists-heading">Your playlists</h1>
        {res.ok ? (
          <PlaylistList playlists={playlists} />
        ) : (
          <p class="notice">Your playlists could not be loaded.</p>
        )}
        <CreatePlaylistForm {...form} />
      </section>
    </Layout>,
    res.ok ? status : 502,
  );
}

/** `GET /playlists`: the viewer's playlists (watch later first) and a form to create one. */
export async function myPlaylistsPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent('/playlists')}`, 303);
  return myPlaylistsView(c, session);
}

/** `POST /playlists`: create through the API, then show the new playlist. */
export const createPlaylistSubmit = signedInPost(
  () => '/playlists',
  async (c, session, form) => {
    const values = {
      displayName: form.displayName ?? '',
      description: form.description ?? '',
      privacy: form.privacy ?? 'private',
    };
    const res = await callApi(c, '/api/v1/video-playlists', CreatedPlaylistMiniSchema, {
      method: 'POST',
      token: session.token,
      body: values,
    });
    if (!res.ok)
      return myPlaylistsView(c, session, { values, error: res.error }, res.status >= 500 ? 502 : 400);
    return c.redirect(`/p/${res.data.videoPlaylist.id}`, 303);
  },
);

function notFoundPage(c: Context<EdgeEnv>, session: Session, path: string) {
  const message = 'This playlist does not exist, was removed, or is private.';
  return sendMessage(c, session, { title: 'Playlist not found', message, path }, 404);
}

/** Owner controls of one element: move up, move down, remove (each a small same-origin form). */
function ElementControls(props: {
  playlistId: string;
  elementId: number;
  position: number;
  last: number;
  title: string;
}) {
  const move = (to: number, label: string, text: string) => (
    <form method="post" action={`/p/${props.playlistId}/move`} class="inline-form">
      <input type="hidden" name="position" value={String(props.position)} />
      <input type="hidden" name="after" value={String(to)} />
      <button type="submit" class="link-button" aria-label={`${label}: ${props.title}`}>
        {text}
      </button>
    </form>
  );
  return (
    <span class="element-controls">
      {props.position > 1 ? move(props.position - 2, 'Move up', 'Up') : null}
      {props.position < props.last ? move(props.position + 1, 'Move down', 'Down') : null}
      <form method="post" action={`/p/${props.playlistId}/remove`} class="inline-form">
        <input type="hidden" name="elementId" value={String(props.elementId)} />
        <button type="submit" class="link-button" aria-label={`Remove: ${props.title}`}>
          Remove
        </button>
      </form>
    </span>
  );
}

/** `GET /p/:id`: one playlist and the videos in it this viewer may see; the owner can reorder and remove. */
export async function playlistPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  const id = c.req.param('id') ?? '';
  const path = playlistPath(c);
  if (!UUID.test(id)) return notFoundPage(c, session, path);
  const [playlist, elements] = await Promise.all([
    callApi(c, `/api/v1/video-playlists/${id}`, PlaylistMiniSchema, { token: session.token }),
    callApi(c, `/api/v1/video-playlists/${id}/videos?count=100`, PlaylistElementPageMiniSchema, {
      token: session.token,
    }),
  ]);
  if (!playlist.ok && playlist.status === 404) return notFoundPage(c, session, path);
  if (!playlist.ok || !elements.ok) {
    const message = 'Vidra could not load this playlist. Try again in a moment.';
    return sendMessage(c, session, { title: 'Something went wrong', message, path }, 502);
  }
  const owns = session.viewer?.userId === playlist.data.ownerAccount.id;
  const items = elements.data.data;
  const last = items.at(-1)?.position ?? 0;
  return sendPage(
    c,
    <Layout title={playlist.data.displayName} viewer={session.viewer} path={path}>
      <section aria-labelledby="playlist-heading">
        <h1 id="playlist-heading">{playlist.data.displayName}</h1>
        <p class="watch-meta">
          <span class="badge">{playlist.data.privacy.label}</span> {playlist.data.ownerAccount.displayName} ·{' '}
          {playlist.data.videosLength === 1 ? '1 video' : `${playlist.data.videosLength} videos`}
        </p>
        {playlist.data.description ? <p class="description">{playlist.data.description}</p> : null}
        {items.length ? (
          <ol class="playlist-elements" aria-labelledby="playlist-heading">
            {items.map((element) => (
              <li>
                <a href={`/w/${element.video.id}`}>{element.video.title}</a>{' '}
                {owns ? (
                  <ElementControls
                    playlistId={id}
                    elementId={element.id}
                    position={element.position}
                    last={last}
                    title={element.video.title}
                  />
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p class="empty">This playlist has no videos yet.</p>
        )}
      </section>
    </Layout>,
  );
}

/** `POST /p/:id/videos` (the watch page's menu): add `videoId`, then back to `next`. */
export const addToPlaylistSubmit = signedInPost(playlistPath, async (c, session, form) => {
  const back = nextPath(c, form.next, playlistPath(c));
  const res = await callApi(
    c,
    `/api/v1/video-playlists/${encodeURIComponent(c.req.param('id') ?? '')}/videos`,
    AddedPlaylistElementMiniSchema,
    {
      method: 'POST',
      token: session.token,
      body: { videoId: form.videoId ?? '' },
    },
  );
  if (!res.ok) return actionFailed(c, session, res.error, res.status, back);
  const sep = back.includes('?') ? '&' : '?';
  return c.redirect(`${back}${sep}saved=${encodeURIComponent(c.req.param('id') ?? '')}`, 303);
});

/** `POST /p/:id/remove`: remove `elementId`. */
export const removeFromPlaylistSubmit = signedInPost(playlistPath, (c, session, form) =>
  changeThenRedirect(
    c,
    session,
    {
      method: 'DELETE',
      path: `/api/v1/video-playlists/${encodeURIComponent(c.req.param('id') ?? '')}/videos/${encodeURIComponent(form.elementId ?? '')}`,
    },
    playlistPath(c),
  ),
);

/** `POST /p/:id/move`: move the element at `position` to after `after` (PeerTube's reorder of one). */
export const movePlaylistElementSubmit = signedInPost(playlistPath, (c, session, form) =>
  changeThenRedirect(
    c,
    session,
    {
      method: 'POST',
      path: `/api/v1/video-playlists/${encodeURIComponent(c.req.param('id') ?? '')}/videos/reorder`,
      body: {
        startPosition: Number(form.position),
        insertAfterPosition: Number(form.after),
        reorderLength: 1,
      },
    },
    playlistPath(c),
  ),
);

import type { Context } from 'hono';
import type { ChannelDto } from '../../../protocol/api/channels.js';
import { ChannelListMiniSchema } from '../../../protocol/api/channels-mini.js';
import type { EdgeEnv } from '../context.js';
import { callApi } from './api.js';
import { ChannelForm } from './channel-form.js';
import { Field } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';

const PRIVACY_OPTIONS = [
  ['public', 'Public: listed for everyone'],
  ['unlisted', 'Unlisted: anyone with the link'],
  ['internal', 'Internal: signed-in members only'],
  ['private', 'Private: only you'],
  ['password', 'Password: anyone with the password'],
] as const;

/** The upload form; `upload.js` does the rest (tus upload, progress, resume, processing). */
function UploadForm(props: { channels: ChannelDto[] }) {
  return (
    <form class="stack" data-upload-form novalidate>
      <div class="field">
        <label for="file">Video file</label>
        <input id="file" name="file" type="file" accept="video/*" required aria-describedby="file-hint" />
        <p class="hint" id="file-hint">
          An interrupted upload continues where it stopped: choose the same file again.
        </p>
      </div>
      <p class="notice" data-resume-note hidden />
      <Field id="title" label="Title" required maxlength={200} />
      <Field id="description" label="Description (optional)" multiline maxlength={10000} />
      <div class="field">
        <label for="channel">Channel</label>
        <select id="channel" name="channelId" required>
          {props.channels.map((channel) => (
            <option value={channel.id}>{`${channel.displayName} (@${channel.handle})`}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="privacy">Privacy</label>
        <select id="privacy" name="privacy">
          {PRIVACY_OPTIONS.map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div data-password-field hidden>
        <Field
          id="video-password"
          name="password"
          label="Video password"
          type="password"
          minlength={4}
          maxlength={200}
          autocomplete="new-password"
          hint="At least 4 characters. Share it with your viewers."
        />
      </div>
      <p class="form-error" role="alert" data-upload-error hidden />
      <button type="submit">Upload</button>
      <noscript>
        <p class="notice">Uploading needs JavaScript.</p>
      </noscript>
    </form>
  );
}

/** Where the upload, then the processing, is reported; hidden until an upload starts. */
function UploadProgress() {
  return (
    <section class="upload-progress" data-upload-progress hidden aria-labelledby="upload-progress-heading">
      <h2 id="upload-progress-heading">Uploading</h2>
      <label for="upload-bar">Upload progress</label>
      <progress id="upload-bar" max="100" value="0" />
      <p role="status" data-upload-stats>
        Starting…
      </p>
      <button type="button" data-action="pause">
        Pause
      </button>
      <h2 id="processing-heading">Processing</h2>
      <label for="processing-bar">Processing progress</label>
      <progress id="processing-bar" max="100" value="0" />
      <p role="status" data-processing-status>
        Waiting for the upload to finish.
      </p>
      <p data-watch-link hidden>
        <a class="button" href="/">
          Watch your video
        </a>
      </p>
    </section>
  );
}

/**
 * `GET /upload`: for signed-in users with a channel, the upload form; without a channel, the form
 * to create one first (it comes back here); signed out, the sign-in page.
 */
export async function uploadPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent('/upload')}`, 303);
  const channels = await callApi(c, '/api/v1/users/me/channels', ChannelListMiniSchema, {
    token: session.token,
  });
  if (!channels.ok) {
    const page = (
      <MessagePage
        title="Upload"
        viewer={session.viewer}
        heading="Something went wrong"
        message="Vidra could not load your channels. Try again in a moment."
      />
    );
    return sendPage(c, page, 502);
  }
  if (channels.data.items.length === 0) {
    return sendPage(
      c,
      <Layout title="Upload" viewer={session.viewer} path="/upload">
        <section class="narrow" aria-labelledby="upload-heading">
          <h1 id="upload-heading">Create a channel first</h1>
          <p>Videos are published on a channel. Create yours, then upload.</p>
          <ChannelForm next="/upload" />
        </section>
      </Layout>,
    );
  }
  return sendPage(
    c,
    <Layout
      title="Upload"
      viewer={session.viewer}
      path="/upload"
      scripts={['/static/vendor/tus.min.js', '/static/progress.js', '/static/upload.js']}
    >
      <section class="narrow" aria-labelledby="upload-heading">
        <h1 id="upload-heading">Upload a video</h1>
        <UploadForm channels={channels.data.items} />
        <UploadProgress />
      </section>
    </Layout>,
  );
}

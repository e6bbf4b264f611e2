import type { VideoDto } from '../../../protocol/api/videos.js';
import { Field } from './forms.js';
import { RealtimeToggle } from './realtime-toggle.js';
import { formatDuration } from './video-list.js';

/** Title, channel, date and description under the player. */
function VideoDetails(props: { video: VideoDto }) {
  const { video } = props;
  const date = new Date(video.createdAt);
  return (
    <>
      <h1 id="video-title">{video.title}</h1>
      <p class="watch-meta">
        <a href={`/c/${encodeURIComponent(video.channel.handle)}`}>{video.channel.displayName}</a>
        {' · '}
        <time datetime={video.createdAt}>
          {date.toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' })}
        </time>
      </p>
      {video.description ? <p class="description">{video.description}</p> : null}
    </>
  );
}

/**
 * The player shell `watch.js` brings to life: a video element, a storyboard preview, and controls
 * of our own, because the native seek bar cannot report where the pointer hovers. Everything is a
 * real button, range or select, so it works from the keyboard and is announced properly.
 */
function Player(props: {
  id: string;
  title: string;
  locked: boolean;
  duration?: number | null;
  live?: boolean;
  /** A remote video's own instance's HLS (and poster): played from there, no playback issuance. */
  remote?: { hls: string; thumbnail: string | null } | undefined;
}) {
  return (
    <div
      class="player"
      data-player
      data-video-id={props.id}
      data-live={props.live ? 'true' : undefined}
      data-remote-hls={props.remote?.hls}
      data-remote-thumbnail={props.remote?.thumbnail ?? undefined}
      hidden={props.locked}
    >
      <div class="player-frame">
        {/* biome-ignore lint/a11y/useMediaCaption: the pipeline produces no caption tracks yet. */}
        <video playsinline preload="none" aria-label={`Video: ${props.title}`} />
        <div class="storyboard-preview" hidden aria-hidden="true">
          <div class="storyboard-image" />
          <span class="storyboard-time" />
        </div>
      </div>
      <fieldset class="controls">
        <legend class="visually-hidden">Player controls</legend>
        <input class="seek" type="range" min="0" max="1000" step="1" value="0" aria-label="Seek" disabled />
        <div class="control-row">
          <button type="button" data-action="play" disabled>
            Play
          </button>
          {props.live ? (
            <>
              <span class="badge badge-live">Live</span>
              {/* hls.js's distance to the live edge, kept current by player.js. */}
              <span class="latency" data-latency aria-live="off">
                Latency: <span data-latency-value>…</span>
              </span>
              <button type="button" data-action="live-edge" disabled>
                Back to live
              </button>
              <RealtimeToggle />
            </>
          ) : (
            <span class="time" aria-hidden="true">
              <span data-current>0:00</span> /{' '}
              <span data-duration>{formatDuration(props.duration ?? 0)}</span>
            </span>
          )}
          <button type="button" data-action="mute" aria-pressed="false" disabled>
            Mute
          </button>
          <span class="quality">
            <label for="quality">Quality</label>
            <select id="quality" disabled>
              <option value="-1">Auto</option>
            </select>
          </span>
          <button type="button" data-action="fullscreen" disabled>
            Full screen
          </button>
        </div>
      </fieldset>
      <p class="player-status" role="status" aria-live="polite" />
      <noscript>
        <p class="notice">The player needs JavaScript.</p>
      </noscript>
    </div>
  );
}

/** Wording of the ladder still encoding behind a playable preview; `watch.js` keeps it current. */
export const ladderStatusText = (progress: number) =>
  `Higher qualities are still being prepared (${progress}%)`;

/** Wording of a ladder that gave up behind a playable video, with the pipeline's reason. */
export const ladderFailedText = (error: string | undefined) =>
  `Higher qualities could not be prepared: ${error ?? 'no reason was recorded'}`;

/** When the next attempt may start, in UTC, to the second (the page is rendered at the edge). */
const attemptTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/**
 * Retries of a transcode: the attempt count, when the next one may start, and why each failed
 * attempt failed, so the owner sees a fault being worked around rather than a stalled video.
 */
export function RetryNotice(props: { retries: NonNullable<VideoDto['retries']> }) {
  const { attempt, maxAttempts, nextAttemptAt, failures } = props.retries;
  return (
    <section class="notice" aria-label="Processing attempts" data-retries>
      <p role="status" data-retry-status>
        {nextAttemptAt
          ? `Attempt ${attempt} of ${maxAttempts} failed; the next one starts after ${attemptTime(nextAttemptAt)}.`
          : attempt >= maxAttempts
            ? `All ${maxAttempts} attempts failed.`
            : `Attempt ${attempt} of ${maxAttempts} is running.`}
      </p>
      <ol class="attempt-failures">
        {failures.map((failure) => (
          <li data-attempt={String(failure.attempt)}>
            Attempt {failure.attempt} ({attemptTime(failure.at)}): {failure.reason}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A ready video: the player, what is still encoding behind it (or why that failed), and its details. */
export function ReadyView(props: {
  video: VideoDto;
  remote?: { hls: string; thumbnail: string | null; url: string };
}) {
  const { processing, retries } = props.video;
  return (
    <article class="watch" aria-labelledby="video-title">
      <Player
        id={props.video.id}
        title={props.video.title}
        locked={false}
        duration={props.video.durationSeconds}
        remote={props.remote}
      />
      {props.remote ? (
        <p class="remote-origin">
          From <a href={props.remote.url}>{new URL(props.remote.url).host}</a>
        </p>
      ) : null}
      {processing?.stage === 'failed' ? (
        <p class="notice notice-error" role="alert" data-ladder-failed data-video-id={props.video.id}>
          {ladderFailedText(processing.error)}
        </p>
      ) : processing ? (
        <p class="notice" role="status" data-ladder-status data-video-id={props.video.id}>
          {ladderStatusText(processing.progress)}
        </p>
      ) : null}
      {retries ? <RetryNotice retries={retries} /> : null}
      <VideoDetails video={props.video} />
    </article>
  );
}

/**
 * A video on air: the same player in low-latency live mode (player.js reads `data-live`), with the
 * current latency and a "back to live" button instead of a duration.
 */
export function LiveView(props: { video: VideoDto }) {
  return (
    <article class="watch" aria-labelledby="video-title">
      <Player id={props.video.id} title={props.video.title} locked={false} live />
      <p class="notice" role="status" data-live-status data-video-id={props.video.id} hidden />
      {props.video.live ? (
        <p class="live-viewers" data-live-viewers>
          {props.video.live.viewers === 1 ? '1 watching now' : `${props.video.live.viewers} watching now`}
        </p>
      ) : null}
      <VideoDetails video={props.video} />
    </article>
  );
}

/** A live that stopped: nothing plays until its recording (if any) becomes a replay. */
export function EndedView(props: { video: VideoDto }) {
  return (
    <section class="message" aria-labelledby="video-title">
      <h1 id="video-title">{props.video.title}</h1>
      <p class="notice">
        This live stream has ended. If it was recorded, the replay appears here once it is ready.
      </p>
      {props.video.description ? <p class="description">{props.video.description}</p> : null}
    </section>
  );
}

/**
 * A password video: the API tells nothing about it without the password, so the page is a form
 * that `watch.js` posts to the playback endpoint; the player appears once the password is right.
 */
export function PasswordView(props: { id: string }) {
  return (
    <article class="watch" aria-labelledby="gate-heading">
      <Player id={props.id} title="Protected video" locked />
      <section class="message password-gate" aria-labelledby="gate-heading">
        <h1 id="gate-heading">This video is protected by a password</h1>
        <p>Enter the password its owner gave you to watch it.</p>
        <form class="stack" data-password-form data-video-id={props.id}>
          <Field id="video-password" label="Video password" type="password" required autocomplete="off" />
          <p class="field-error" id="video-password-error" role="alert" hidden />
          <button type="submit">Watch</button>
        </form>
        <noscript>
          <p class="notice">Watching needs JavaScript.</p>
        </noscript>
      </section>
    </article>
  );
}

/** A video whose processing failed, with the reason the pipeline recorded. */
export function FailedView(props: { video: VideoDto }) {
  return (
    <section class="message" aria-labelledby="video-title">
      <h1 id="video-title">{props.video.title}</h1>
      <p class="notice notice-error">This video could not be processed, so it cannot be played.</p>
      <p>
        <strong>Reason:</strong> {props.video.error ?? 'No reason was recorded.'}
      </p>
      {props.video.retries ? <RetryNotice retries={props.video.retries} /> : null}
    </section>
  );
}

const STATE_TEXT: Record<string, string> = {
  created: 'Waiting for the upload to start',
  uploading: 'Uploading',
  queued: 'Waiting for a transcoder',
  transcoding: 'Transcoding',
};

/** A video still on its way: live progress over SSE (`watch.js`), and a reload once it is ready. */
export function ProcessingView(props: { video: VideoDto }) {
  const { video } = props;
  return (
    <section class="message" aria-labelledby="video-title" data-processing data-video-id={video.id}>
      <h1 id="video-title">{video.title}</h1>
      <p>This video is still being processed. The player will appear here as soon as it is ready.</p>
      <label for="processing-progress">Processing progress</label>
      <progress id="processing-progress" max="100" value={String(video.progress)}>
        {video.progress}%
      </progress>
      <p role="status" data-processing-status>
        {STATE_TEXT[video.state] ?? video.state}: {video.progress}%
      </p>
      {video.retries ? <RetryNotice retries={video.retries} /> : null}
    </section>
  );
}

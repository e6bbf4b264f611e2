import type { VideoDto } from '../../../protocol/api/videos.js';
import type { LiveEndpoint, LiveIngestAnswer } from '../../../protocol/live.js';
import { LIVE_LADDERS } from '../../../protocol/live-enums.js';
import { type ApiError, fieldErrors } from './api.js';
import { FormError } from './forms.js';

const LADDER_LABELS: Record<(typeof LIVE_LADDERS)[number], string> = {
  source: 'Source only (as your encoder sends it)',
  'source+720p': 'Source plus 720p',
  'source+720p+360p': 'Source plus 720p and 360p',
};

/** Where a form of the Go-live page posts, under `/channels/:handle/live`. */
export const liveFormPath = (handle: string, action = '') =>
  `/channels/${encodeURIComponent(handle)}/live${action}`;

/** A value to copy into an encoder, in a read-only field with its label. */
function CopyField(props: { id: string; label: string; value: string; hint?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        type="text"
        readonly
        value={props.value}
        spellcheck={false}
        autocomplete="off"
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
    </div>
  );
}

/**
 * The secrets of a key just made or rotated. The API never shows them again, so this is their only
 * appearance: behind a `<details>` (hidden until revealed, no script needed), with the warning.
 */
export function FreshKey(props: { ingest: LiveIngestAnswer['ingest'] }) {
  return (
    <section class="notice live-key" aria-labelledby="key-heading" data-fresh-key>
      <h2 id="key-heading">Your stream key</h2>
      <p role="alert">
        <strong>Copy it now: it is shown only this once.</strong> Anyone with this key can stream on your
        channel. If you lose it, or it leaks, rotate it to get a new one.
      </p>
      <details>
        <summary>Reveal the stream key and the SRT URL</summary>
        <CopyField id="stream-key" label="Stream key" value={props.ingest.streamKey} />
        <CopyField
          id="rtmp-full-url"
          label="RTMP URL with the key (for encoders with a single URL field)"
          value={`${props.ingest.rtmpUrl}/${props.ingest.streamKey}`}
        />
        <CopyField id="srt-url" label="SRT URL (passphrase included)" value={props.ingest.srtUrl} />
      </details>
    </section>
  );
}

/** Where to publish, the key's rotation, and the settings form, for a channel with a live endpoint. */
/** Viewers and the source's health while on air, as the live video's JSON reports them. */
function StreamHealthPanel(props: { live: NonNullable<VideoDto['live']> }) {
  const { viewers, health } = props.live;
  const keyframe = health?.keyframeIntervalSeconds ?? null;
  return (
    <dl class="facts" data-stream-health>
      <dt>Viewers</dt>
      <dd data-viewers>{viewers}</dd>
      {health ? (
        <>
          <dt>Input bitrate</dt>
          <dd>{Math.round(health.inputBitrate / 1000)} kbit/s</dd>
          <dt>Frame rate</dt>
          <dd>{health.frameRate} fps</dd>
          <dt>Keyframe interval</dt>
          <dd>
            {keyframe === null ? 'not measured yet' : `${keyframe} s`}
            {keyframe !== null && keyframe > 1.05 ? ' (set it to 1 s for the lowest latency)' : ''}
          </dd>
          <dt>Dropped frames</dt>
          <dd>{health.droppedFrames}</dd>
        </>
      ) : (
        <>
          <dt>Stream health</dt>
          <dd>measuring…</dd>
        </>
      )}
    </dl>
  );
}

export function LiveDashboard(props: {
  handle: string;
  endpoint: LiveEndpoint;
  /** The live video's viewers and health, while on air. */
  live?: VideoDto['live'];
  settingsError?: ApiError | undefined;
  saved?: boolean;
  rotateError?: ApiError | undefined;
}) {
  const { endpoint, handle } = props;
  const errors = fieldErrors(props.settingsError);
  const settings = endpoint.settings;
  return (
    <>
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Status</h2>
        {endpoint.state === 'live' && endpoint.videoId ? (
          <>
            <p>
              <span class="badge badge-live">Live</span> You are on air.{' '}
              <a href={`/w/${endpoint.videoId}`}>Watch your stream</a>
            </p>
            {props.live ? <StreamHealthPanel live={props.live} /> : null}
          </>
        ) : (
          <p>Not live. Start streaming from your encoder and this page shows it on air.</p>
        )}
      </section>
      <section aria-labelledby="encoder-heading">
        <h2 id="encoder-heading">Encoder settings</h2>
        <CopyField
          id="rtmp-url"
          label="RTMP URL"
          value={endpoint.rtmpUrl}
          hint="In OBS: Settings, Stream, Service Custom. Server is this URL; Stream Key is your key."
        />
        <CopyField
          id="srt-address"
          label="SRT address"
          value={`srt://${endpoint.srtHost}:${endpoint.srtPort}`}
          hint="The full SRT URL carries a passphrase, shown with the key when it is made or rotated."
        />
        <p class="notice" data-keyframe-advice>
          Set your encoder's keyframe interval to <strong>1 second</strong> (OBS: Output, Keyframe Interval 1
          s; FFmpeg: <code>-g</code> equal to the frame rate). Segments follow your keyframes, so a 2 s
          interval doubles the delay your viewers see.
        </p>
      </section>
      <section aria-labelledby="rotate-heading">
        <h2 id="rotate-heading">Stream key</h2>
        <p>
          The key was last made on{' '}
          <time datetime={endpoint.keyRotatedAt}>{new Date(endpoint.keyRotatedAt).toUTCString()}</time>. It is
          shown only once; rotate it to get a new one. The old key stops working at once, also for a stream on
          air.
        </p>
        <FormError message={props.rotateError?.message} />
        <form method="post" action={liveFormPath(handle, '/key')} class="inline-form">
          <button type="submit">Rotate stream key</button>
        </form>
      </section>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Live settings</h2>
        <p class="hint">They apply from your next stream.</p>
        {props.saved ? (
          <p class="notice" role="status">
            Settings saved.
          </p>
        ) : null}
        <FormError
          message={
            props.settingsError && !props.settingsError.fields ? props.settingsError.message : undefined
          }
        />
        <form method="post" action={liveFormPath(handle, '/settings')} class="stack">
          <div class="field">
            <label for="ladder">Qualities</label>
            <select id="ladder" name="ladder" aria-invalid={errors.ladder ? 'true' : undefined}>
              {LIVE_LADDERS.map((ladder) => (
                <option value={ladder} selected={settings.ladder === ladder}>
                  {LADDER_LABELS[ladder]}
                </option>
              ))}
            </select>
            {errors.ladder ? <p class="field-error">{errors.ladder}</p> : null}
          </div>
          <div class="field">
            <input type="checkbox" id="record" name="record" value="on" checked={settings.record} />
            <label for="record">Record: the stream becomes a replay when it ends</label>
          </div>
          <div class="field">
            <label for="dvrWindowSeconds">DVR window (seconds)</label>
            <p class="hint" id="dvrWindowSeconds-hint">
              How far back viewers can seek while you are live: 30 to 21600 (6 hours).
            </p>
            <input
              type="number"
              id="dvrWindowSeconds"
              name="dvrWindowSeconds"
              min="30"
              max="21600"
              step="1"
              required
              value={String(settings.dvrWindowSeconds)}
              aria-describedby={`dvrWindowSeconds-hint${errors.dvrWindowSeconds ? ' dvrWindowSeconds-error' : ''}`}
              aria-invalid={errors.dvrWindowSeconds ? 'true' : undefined}
            />
            {errors.dvrWindowSeconds ? (
              <p class="field-error" id="dvrWindowSeconds-error">
                {errors.dvrWindowSeconds}
              </p>
            ) : null}
          </div>
          <button type="submit">Save settings</button>
        </form>
      </section>
    </>
  );
}

/** A channel that has never streamed: one button makes its key (shown once, right after). */
export function LiveSetup(props: { handle: string; error?: ApiError | undefined }) {
  return (
    <section aria-labelledby="setup-heading">
      <h2 id="setup-heading">Set up live streaming</h2>
      <p>
        Your channel needs a stream key: your encoder (OBS, FFmpeg...) sends it to prove the stream is yours.
        It is shown only once, right after you create it.
      </p>
      <FormError message={props.error?.message} />
      <form method="post" action={liveFormPath(props.handle)} class="inline-form">
        <button type="submit">Create stream key</button>
      </form>
    </section>
  );
}

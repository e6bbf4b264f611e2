import type { VideoDto } from '../../../protocol/api/videos.js';

/** `65` -> `1:05`, `3725` -> `1:02:05`: how players show durations. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** ISO 8601 duration for `<time datetime>`, e.g. `PT1M5S`. */
export function isoDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  return `PT${Math.floor(s / 60)}M${s % 60}S`;
}

/** What a card says instead of a duration while a video is not watchable yet. */
const STATE_LABELS: Partial<Record<VideoDto['state'], string>> = {
  created: 'Waiting for upload',
  uploading: 'Uploading',
  queued: 'Processing',
  transcoding: 'Processing',
  failed: 'Failed',
  ended: 'Live ended',
};

/** What every visitor may find in a list: videos that play now, on demand or live. */
export const isWatchable = (video: VideoDto) => video.state === 'ready' || video.state === 'live';

/** One video in a grid: thumbnail (when there is one), title, channel, and its duration or live badge. */
function VideoCard(props: { video: VideoDto; thumbnail: string | undefined; showChannel: boolean }) {
  const { video } = props;
  const status = STATE_LABELS[video.state];
  return (
    <li class="card">
      <a class="card-link" href={`/w/${video.id}`}>
        <span class="thumb">
          {props.thumbnail ? (
            <img src={props.thumbnail} alt="" width="320" height="180" loading="lazy" decoding="async" />
          ) : (
            <span class="thumb-placeholder" aria-hidden="true">
              ▶
            </span>
          )}
          {video.state === 'live' ? (
            <span class="badge badge-live live-overlay" aria-hidden="true">
              Live
            </span>
          ) : null}
          {video.durationSeconds !== null && video.state === 'ready' ? (
            <time class="duration" datetime={isoDuration(video.durationSeconds)}>
              {formatDuration(video.durationSeconds)}
            </time>
          ) : null}
        </span>
        <span class="card-title">{video.title}</span>
      </a>
      <p class="card-meta">
        {props.showChannel ? (
          <a href={`/c/${encodeURIComponent(video.channel.handle)}`}>{video.channel.displayName}</a>
        ) : null}
        {video.state === 'live' ? <span class="badge badge-live">Live now</span> : null}
        {status ? <span class="badge">{status}</span> : null}
        {video.privacyName !== 'public' ? <span class="badge">{video.privacyName}</span> : null}
      </p>
    </li>
  );
}

/** A responsive grid of video cards, or `empty` when there is nothing to show. */
export function VideoGrid(props: {
  videos: VideoDto[];
  thumbnails: Map<string, string>;
  empty: string;
  showChannel?: boolean;
  labelledBy: string;
}) {
  if (props.videos.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <ul class="video-grid" aria-labelledby={props.labelledBy}>
      {props.videos.map((video) => (
        <VideoCard
          video={video}
          thumbnail={props.thumbnails.get(video.id)}
          showChannel={props.showChannel ?? true}
        />
      ))}
    </ul>
  );
}

/** "Older videos" link for keyset pagination; nothing on the last page. */
export function Pager(props: { path: string; nextCursor: string | null }) {
  if (!props.nextCursor) return null;
  return (
    <nav class="pager" aria-label="Pagination">
      <a href={`${props.path}?cursor=${encodeURIComponent(props.nextCursor)}`}>Older videos</a>
    </nav>
  );
}

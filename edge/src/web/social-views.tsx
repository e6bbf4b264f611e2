import type { VideoRatingValue } from '../../../protocol/api/reactions.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Like and dislike, with their counts. Each is a button of a plain form (no script needed) whose
 * `aria-pressed` says which one the viewer chose; pressing the chosen one again takes it back.
 * Signed-out viewers see the counts and a sign-in link instead.
 */
export function RatingButtons(props: {
  videoId: string;
  likes: number;
  dislikes: number;
  rating: VideoRatingValue | undefined;
  signedIn: boolean;
  path: string;
}) {
  if (!props.signedIn) {
    return (
      <p class="reactions">
        <span>{plural(props.likes, 'like', 'likes')}</span> ·{' '}
        <span>{plural(props.dislikes, 'dislike', 'dislikes')}</span> ·{' '}
        <a href={`/login?next=${encodeURIComponent(props.path)}`}>Sign in to rate</a>
      </p>
    );
  }
  const button = (value: 'like' | 'dislike', label: string, count: number) => {
    const pressed = props.rating === value;
    return (
      <button
        type="submit"
        name="rating"
        value={pressed ? 'none' : value}
        aria-pressed={pressed ? 'true' : 'false'}
        class="reaction"
      >
        {label} <span class="count">{count}</span>
      </button>
    );
  };
  return (
    <form method="post" action={`/w/${props.videoId}/rate`} class="reactions" aria-label="Rate this video">
      {button('like', 'Like', props.likes)}
      {button('dislike', 'Dislike', props.dislikes)}
    </form>
  );
}

/** Subscribe or unsubscribe, with the follower count; a sign-in link for signed-out viewers. */
export function SubscribeButton(props: {
  handle: string;
  /** Shown when known (the channel's JSON has it, a video's channel ref does not). */
  followersCount?: number | undefined;
  subscribed: boolean | undefined;
  signedIn: boolean;
  /** The channel's owner sees the count only. */
  isOwner: boolean;
  path: string;
}) {
  const count =
    props.followersCount === undefined ? null : (
      <span class="followers">{plural(props.followersCount, 'subscriber', 'subscribers')}</span>
    );
  if (props.isOwner) return count ? <p class="subscribe">{count}</p> : null;
  if (!props.signedIn) {
    return (
      <p class="subscribe">
        {count}
        {count ? ' · ' : null}
        <a href={`/login?next=${encodeURIComponent(props.path)}`}>Sign in to subscribe</a>
      </p>
    );
  }
  return (
    <form
      method="post"
      action={`/c/${encodeURIComponent(props.handle)}/subscription`}
      class="subscribe inline-form"
    >
      <input type="hidden" name="next" value={props.path} />
      <input type="hidden" name="action" value={props.subscribed ? 'unsubscribe' : 'subscribe'} />
      <button type="submit" aria-pressed={props.subscribed ? 'true' : 'false'}>
        {props.subscribed ? 'Unsubscribe' : 'Subscribe'}
      </button>{' '}
      {count}
    </form>
  );
}

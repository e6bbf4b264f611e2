import type { Privacy } from '../video.js';
import { AS_PUBLIC } from './paths.js';

export interface Audience {
  to: string[];
  cc: string[];
}

/**
 * `to`/`cc` for an object of a video with `privacy`, PeerTube's way: public goes to the Public
 * collection, unlisted only cc's it (visible by link, absent from timelines). Anything more
 * private is not federated at all, so it has no audience (undefined).
 */
export function audienceFor(privacy: Privacy, followersUrl: string): Audience | undefined {
  if (privacy === 'public') return { to: [AS_PUBLIC], cc: [followersUrl] };
  if (privacy === 'unlisted') return { to: [followersUrl], cc: [AS_PUBLIC] };
  return undefined;
}

/** Whether a video of this privacy is federated (sent to followers, served as AP JSON). */
export const isFederated = (privacy: Privacy): boolean => audienceFor(privacy, '') !== undefined;

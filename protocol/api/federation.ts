import { z } from 'zod';

/** Deliveries to one remote host, by state, for the admins' federation health view. */
export const FederationHostHealthSchema = z.object({
  host: z.string(),
  pending: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  gone: z.number().int(),
  /** Why the latest failed attempt to this host failed (`HTTP 503`, a network error), if any. */
  lastError: z.string().nullable(),
  /** When the next pending delivery to this host is due. */
  nextAttemptAt: z.string().nullable(),
});

export const FederationHealthSchema = z.object({
  /** fedify's queue (Follow answers): due now, and waiting for a retry delay. */
  queue: z.object({ ready: z.number().int(), delayed: z.number().int() }),
  /** Pending deliveries across all hosts. */
  pending: z.number().int(),
  hosts: z.array(FederationHostHealthSchema),
});
export type FederationHealth = z.infer<typeof FederationHealthSchema>;

/** One remote channel the caller follows (`GET /api/v1/users/me/subscriptions/remote`). */
export const RemoteFollowSchema = z
  .object({
    channelId: z.uuid(),
    /** `name@host`, as the local mirror of the channel is named. */
    handle: z.string(),
    displayName: z.string(),
    /** The channel's ActivityPub id. */
    actorId: z.string(),
    state: z
      .enum(['pending', 'accepted', 'rejected'])
      .describe('pending until the channel’s instance accepts the Follow; rejected when it refused'),
  })
  .meta({ id: 'RemoteFollow' });
export const RemoteFollowListSchema = z.object({ data: z.array(RemoteFollowSchema) });

/** A remote video's playable media, played from its own instance (`GET /api/v1/videos/{id}/remote`). */
export const RemoteVideoMediaSchema = z
  .object({
    /** The video's ActivityPub id on its instance. */
    url: z.string(),
    /** Its instance's HLS master playlist (a stable URL that instance redirects to signed playback). */
    hls: z.string(),
    thumbnail: z.string().nullable(),
  })
  .meta({ id: 'RemoteVideoMedia' });

import { z } from 'zod';

/** How one remote host is doing, as admins see it. */
export const HOST_STATUSES = ['ok', 'retrying', 'failing'] as const;

/** Deliveries to one remote host, by state, for the admins' federation health view. */
export const FederationHostHealthSchema = z.object({
  host: z.string(),
  /**
   * `failing`: a pending delivery has failed as often as it takes to open the host's breaker
   * (5 in a row); `retrying`: some pending delivery failed at least once; `ok` otherwise.
   */
  status: z.enum(HOST_STATUSES),
  pending: z.number().int(),
  /** Pending deliveries that have already failed at least once. */
  retrying: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  gone: z.number().int(),
  /** Why the latest failed attempt to this host failed (`HTTP 503`, a network error), if any. */
  lastError: z.string().nullable(),
  /** When the next pending delivery to this host is due. */
  nextAttemptAt: z.string().nullable(),
  /** When the oldest delivery still pending for this host was queued: how far behind it is. */
  oldestPendingAt: z.string().nullable(),
});

export const FederationHealthSchema = z.object({
  /** fedify's queue (Follow answers): due now, and waiting for a retry delay. */
  queue: z.object({ ready: z.number().int(), delayed: z.number().int() }),
  /** Pending deliveries across all hosts. */
  pending: z.number().int(),
  hosts: z.array(FederationHostHealthSchema),
});
export type FederationHealth = z.infer<typeof FederationHealthSchema>;
export type HostStatus = (typeof HOST_STATUSES)[number];

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

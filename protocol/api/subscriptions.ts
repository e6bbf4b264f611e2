import { z } from 'zod';
import { ChannelSchema } from './channels.js';
import { PageQuerySchema, pageOf } from './list.js';
import { VideoSchema } from './videos.js';

/** A channel as subscriptions name it: `handle`, or `handle@host` (only this host until federation). */
export const SubscriptionUriSchema = z.string().trim().min(1, 'Name a channel').max(300);

/** `POST /api/v1/users/me/subscriptions`. */
export const SubscribeInputSchema = z.object({ uri: SubscriptionUriSchema });
export type SubscribeInput = z.infer<typeof SubscribeInputSchema>;

/** `GET /api/v1/users/me/subscriptions/exist?uris=a,b` (also `uris=a&uris=b`, like PeerTube). */
export const SubscriptionExistQuerySchema = z.object({
  uris: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
    .pipe(z.array(SubscriptionUriSchema).min(1, 'Name at least one channel').max(100)),
});
/** `{ [uri]: subscribed }`, keyed by the uris exactly as sent. */
export const SubscriptionExistSchema = z.record(z.string(), z.boolean());

export const SubscriptionListQuerySchema = PageQuerySchema;
/** The channels the caller subscribes to, the newest subscription first. */
export const SubscriptionPageSchema = pageOf(ChannelSchema);
/** New videos from the caller's subscriptions, newest first, the same items as `/api/v1/videos`. */
export const SubscriptionFeedPageSchema = pageOf(VideoSchema);

import { z } from 'zod';
import { fromApDuration } from './duration.js';

/**
 * PeerTube's rules for accepting a remote Video or Actor, restated as our own zod schemas from
 * reading `server/core/helpers/custom-validators/activitypub/{videos,actor,misc}.ts` (no code
 * taken). Our objects must pass them (so PeerTube accepts what we send), and remote objects are
 * checked with them before we store anything. Where PeerTube filters a bad entry out of a list
 * (tags, icons, urls) these schemas do the same; where it rejects the object, so do they.
 */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An http(s) URL with a host (and a TLD unless it is loopback or an IP), at most 2000 characters. */
export const ApUrlSchema = z
  .string()
  .max(2000)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const host = url.hostname;
    if (LOOPBACK.has(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')) return true;
    return /\.[a-z]{2,63}$/i.test(host);
  }, 'not an ActivityPub URL');

const DateSchema = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date');
const NonNegativeInt = z.coerce.number().int().min(0);

const IMAGE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/webp',
  'image/gif',
  'image/avif',
]);
const IconSchema = z.object({
  type: z.literal('Image'),
  url: ApUrlSchema,
  mediaType: z.string().refine((t) => IMAGE_TYPES.has(t)),
  width: NonNegativeInt,
  height: NonNegativeInt,
});

const AttributedSchema = z.union([
  ApUrlSchema,
  z.object({ type: z.enum(['Person', 'Group']), id: ApUrlSchema }).loose(),
]);

/** Keep the entries of a list that pass `schema`, like PeerTube's filters. */
const filtered = <T extends z.ZodType>(schema: T) =>
  z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .transform((list) =>
      list.flatMap((entry) => {
        const parsed = schema.safeParse(entry);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );

const HtmlLinkSchema = z.object({
  type: z.literal('Link'),
  mediaType: z.literal('text/html'),
  href: ApUrlSchema,
});
const HlsLinkSchema = z
  .object({
    type: z.literal('Link'),
    mediaType: z.literal('application/x-mpegURL'),
    href: ApUrlSchema,
    tag: z.array(z.unknown()),
  })
  .loose();
const VideoUrlSchema = z.union([HtmlLinkSchema.loose(), HlsLinkSchema]);

/** A remote `Video` PeerTube would accept; the output has the filtered lists. */
export const PeerTubeVideoSchema = z
  .object({
    type: z.literal('Video'),
    id: ApUrlSchema,
    name: z.string().min(3).max(120),
    duration: z.string().refine((d) => fromApDuration(d) !== undefined, 'duration must be PT<seconds>S'),
    uuid: z.uuid(),
    views: NonNegativeInt,
    published: DateSchema,
    updated: DateSchema,
    tag: filtered(
      z.union([
        z.object({ type: z.literal('Hashtag'), name: z.string().min(2).max(30) }),
        z.object({ type: z.literal('SensitiveTag'), name: z.string().min(1) }),
      ]),
    ),
    url: z.array(z.unknown()).transform((list) => list.filter((u) => VideoUrlSchema.safeParse(u).success)),
    icon: filtered(IconSchema).refine((icons) => icons.length > 0, 'a Video needs an icon'),
    attributedTo: filtered(AttributedSchema).refine((a) => a.length > 0, 'nobody the Video is attributed to'),
    mediaType: z.string().optional(),
    content: z.string().nullish(),
    embedUrl: ApUrlSchema.optional(),
    audience: ApUrlSchema.optional(),
    to: z.union([ApUrlSchema, z.array(ApUrlSchema)]).optional(),
    cc: z.union([ApUrlSchema, z.array(ApUrlSchema)]).optional(),
  })
  .loose()
  .refine(
    (v) =>
      v.content === undefined ||
      v.content === null ||
      ((v.mediaType === 'text/markdown' || v.mediaType === 'text/html') &&
        v.content.length >= 3 &&
        v.content.length <= 10_000),
    {
      message: 'content needs mediaType text/markdown or text/html and 3 to 10000 characters',
      path: ['content'],
    },
  );
export type PeerTubeVideo = z.output<typeof PeerTubeVideoSchema>;

/** A remote actor PeerTube would accept (Person, Group, Application, Service, Organization). */
export const PeerTubeActorSchema = z
  .object({
    type: z.enum(['Person', 'Application', 'Group', 'Service', 'Organization']),
    id: ApUrlSchema,
    inbox: ApUrlSchema,
    preferredUsername: z.string().regex(/^[A-Za-z0-9\-_.:]+$/),
    publicKey: z
      .object({
        id: ApUrlSchema,
        owner: ApUrlSchema,
        publicKeyPem: z
          .string()
          .min(10)
          .max(5000)
          .refine(
            (pem) => pem.startsWith('-----BEGIN PUBLIC KEY-----') && pem.includes('-----END PUBLIC KEY-----'),
          ),
      })
      .loose(),
    endpoints: z.object({ sharedInbox: ApUrlSchema.optional() }).loose().optional(),
    outbox: ApUrlSchema.optional(),
    following: ApUrlSchema.optional(),
    followers: ApUrlSchema.optional(),
    attributedTo: filtered(AttributedSchema),
  })
  .loose()
  .refine((a) => a.type !== 'Group' || a.attributedTo.length > 0, {
    message: 'a Group (channel) must be attributed to an account',
    path: ['attributedTo'],
  });
export type PeerTubeActor = z.output<typeof PeerTubeActorSchema>;

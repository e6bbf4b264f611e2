// The zod/mini twins of the response schemas in `comments.ts` and `moderation.ts` that the edge's
// pages read (classic zod would add ~450 KB to the worker; the origin's OpenAPI routes cannot read
// mini schemas). `comments.test.ts` holds each twin to the JSON Schema of its original
// (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';

const int = () => z.int();
const positiveInt = () => z.int().check(z.positive());
const page = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    total: z.int().check(z.minimum(0), z.describe('How many items the caller may see in the whole list')),
    data: z.array(item),
    nextCursor: z
      .nullable(z.string())
      .check(z.describe('Pass as `cursor` for the next page; null at the end')),
  });

/** Twin of `AccountSummarySchema`. */
export const AccountSummaryMiniSchema = z
  .object({
    name: z.string().check(z.describe('The username')),
    host: z
      .nullable(z.string())
      .check(z.describe('The host of this instance for its accounts; null in moderation lists')),
    displayName: z.string(),
    url: z.string().check(z.describe('Path of the account page on this instance')),
    avatars: z.array(z.object({ path: z.string(), width: z.nullable(z.number()) })),
    userId: z.uuid(),
  })
  .check(z.meta({ id: 'AccountSummary' }));

/** Twin of `CommentSchema`. */
export const CommentMiniSchema = z
  .object({
    id: positiveInt(),
    url: z.string(),
    text: z.string().check(z.describe('The Markdown source; empty once deleted')),
    html: z.string().check(z.describe('The text rendered and sanitised: no raw HTML, links are nofollow')),
    threadId: positiveInt(),
    inReplyToCommentId: z.nullable(positiveInt()),
    videoId: int().check(z.describe("PeerTube's integer video id")),
    videoUuid: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    deletedAt: z.nullable(z.iso.datetime()),
    heldForReview: z
      .boolean()
      .check(z.describe("Waiting for the owner's approval; only the owner and author see it")),
    isDeleted: z.boolean(),
    totalRepliesFromVideoAuthor: int().check(z.minimum(0)),
    totalReplies: int().check(z.minimum(0)),
    likes: int().check(z.minimum(0)),
    likedByMe: z.boolean().check(z.describe('Whether the caller likes it; false when anonymous')),
    account: z.nullable(AccountSummaryMiniSchema).check(z.describe('null on a deleted comment')),
  })
  .check(z.meta({ id: 'VideoComment' }));
export type CommentMini = z.output<typeof CommentMiniSchema>;

/** Twin of `CommentThreadPageSchema`. */
export const CommentThreadPageMiniSchema = page(CommentMiniSchema).check(
  z.meta({ id: 'VideoCommentThreadPage' }),
);

/** Twin of `CreatedCommentSchema`. */
export const CreatedCommentMiniSchema = z.object({ comment: CommentMiniSchema });

export type CommentTreeMini = { comment: CommentMini; children: CommentTreeMini[] };
/** Twin of `CommentTreeSchema`. */
export const CommentTreeMiniSchema: z.ZodMiniType<CommentTreeMini> = z.object({
  comment: CommentMiniSchema,
  get children() {
    return z.array(CommentTreeMiniSchema);
  },
});
// Registered rather than `.check(z.meta())`, which would read the recursive shape before it exists.
z.globalRegistry.add(CommentTreeMiniSchema, { id: 'VideoCommentTree' });

const AbusedVideoMiniSchema = z.object({ id: int(), uuid: z.uuid(), name: z.string(), deleted: z.boolean() });
const StateIdMini = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** Twin of `AbuseSchema`. */
export const AbuseMiniSchema = z
  .object({
    id: positiveInt(),
    reason: z.string(),
    predefinedReasons: z.array(z.string()),
    reporterAccount: AccountSummaryMiniSchema,
    state: z.object({ id: StateIdMini, label: z.string() }),
    moderationComment: z.nullable(z.string()),
    video: z.nullable(AbusedVideoMiniSchema),
    comment: z.nullable(
      z.object({
        id: int(),
        threadId: int(),
        text: z.string(),
        deleted: z.boolean(),
        video: AbusedVideoMiniSchema,
      }),
    ),
    flaggedAccount: z.nullable(AccountSummaryMiniSchema),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'Abuse' }));
export type AbuseMini = z.output<typeof AbuseMiniSchema>;

/** Twin of `AbusePageSchema`. */
export const AbusePageMiniSchema = page(AbuseMiniSchema).check(z.meta({ id: 'AbusePage' }));

import { z } from 'zod';
import { COMMENTS_POLICIES, COMMENTS_POLICY_IDS } from '../comment-enums.js';
import { labelledOf, PageQuerySchema, pageOf } from './list.js';

/** PeerTube's account summary, as comments, blocklists and reports show it. */
export const AccountSummarySchema = z
  .object({
    name: z.string().describe('The username'),
    host: z
      .string()
      .nullable()
      .describe('The host of this instance for its accounts; null in moderation lists'),
    displayName: z.string(),
    url: z.string().describe('Path of the account page on this instance'),
    avatars: z.array(z.object({ path: z.string(), width: z.number().nullable() })),
    userId: z.string().uuid(),
  })
  .meta({ id: 'AccountSummary' });
export type AccountSummaryDto = z.infer<typeof AccountSummarySchema>;

export const CommentSchema = z
  .object({
    id: z.number().int().positive(),
    url: z.string(),
    text: z.string().describe('The Markdown source; empty once deleted'),
    html: z.string().describe('The text rendered and sanitised: no raw HTML, links are nofollow'),
    threadId: z.number().int().positive(),
    inReplyToCommentId: z.number().int().positive().nullable(),
    videoId: z.number().int().describe("PeerTube's integer video id"),
    videoUuid: z.string().uuid(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable(),
    heldForReview: z.boolean().describe("Waiting for the owner's approval; only the owner and author see it"),
    isDeleted: z.boolean(),
    totalRepliesFromVideoAuthor: z.number().int().min(0),
    totalReplies: z.number().int().min(0),
    likes: z.number().int().min(0),
    likedByMe: z.boolean().describe('Whether the caller likes it; false when anonymous'),
    account: AccountSummarySchema.nullable().describe('null on a deleted comment'),
  })
  .meta({ id: 'VideoComment' });
export type CommentDto = z.infer<typeof CommentSchema>;

export const CommentInputSchema = z.object({
  text: z.string().trim().min(1, 'Write something first').max(10_000, 'Use at most 10000 characters'),
});
export type CommentInput = z.infer<typeof CommentInputSchema>;

export const CreatedCommentSchema = z.object({ comment: CommentSchema });

export const COMMENT_SORTS = ['-createdAt', 'createdAt', '-totalReplies', '-likes'] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];

export const ListCommentThreadsQuerySchema = PageQuerySchema.extend({
  sort: z.enum(COMMENT_SORTS).default('-createdAt'),
});
export type ListCommentThreadsQuery = z.input<typeof ListCommentThreadsQuerySchema>;

export const CommentThreadPageSchema = pageOf(CommentSchema).meta({ id: 'VideoCommentThreadPage' });

/** `GET .../comment-threads/:threadId`: the root and its replies, nested. */
export type CommentTreeDto = { comment: CommentDto; children: CommentTreeDto[] };
export const CommentTreeSchema: z.ZodType<CommentTreeDto> = z
  .object({
    comment: CommentSchema,
    get children() {
      return z.array(CommentTreeSchema);
    },
  })
  .meta({ id: 'VideoCommentTree' });

export const RateCommentInputSchema = z.object({ rating: z.enum(['like', 'none']) });
export type RateCommentInput = z.infer<typeof RateCommentInputSchema>;

const POLICY_BY_ID = Object.fromEntries(
  Object.entries(COMMENTS_POLICY_IDS).map(([name, { id }]) => [id, name]),
) as Record<1 | 2 | 3, (typeof COMMENTS_POLICIES)[number]>;

/** PeerTube's number (1 enabled, 2 disabled, 3 requires approval) or our name, read as our name. */
export const CommentsPolicyInputSchema = z
  .union([z.enum(COMMENTS_POLICIES), z.literal(1), z.literal(2), z.literal(3)])
  .transform((value) => (typeof value === 'number' ? POLICY_BY_ID[value] : value));

/** PeerTube's `commentsPolicy: { id, label }` on the video JSON. */
export const CommentsPolicySchema = labelledOf(z.union([z.literal(1), z.literal(2), z.literal(3)]));

import { z } from 'zod';
import { ABUSE_PREDEFINED_REASONS } from '../comment-enums.js';
import { AccountSummarySchema } from './comments.js';
import { labelledOf, PageQuerySchema, pageOf } from './list.js';

// --- Account blocklist (mute and block) -------------------------------------------------------

export const BlockAccountInputSchema = z.object({
  accountName: z.string().trim().min(1, 'Name the account').max(100),
  block: z
    .boolean()
    .default(true)
    .describe('true: block (also stops them commenting on your videos); false: mute (hide their comments)'),
});
export type BlockAccountInput = z.input<typeof BlockAccountInputSchema>;

export const BlockedAccountSchema = z
  .object({
    byAccount: AccountSummarySchema,
    blockedAccount: AccountSummarySchema,
    blocked: z.boolean().describe('false for a mute'),
    createdAt: z.string().datetime(),
  })
  .meta({ id: 'BlockedAccount' });
export type BlockedAccountDto = z.infer<typeof BlockedAccountSchema>;
export const BlockedAccountPageSchema = pageOf(BlockedAccountSchema).meta({ id: 'BlockedAccountPage' });

// --- Abuse reports ---------------------------------------------------------------------------

export const CreateAbuseInputSchema = z
  .object({
    reason: z.string().trim().min(2, 'Say what is wrong').max(3000),
    predefinedReasons: z.array(z.enum(ABUSE_PREDEFINED_REASONS)).max(8).optional(),
    video: z.object({ id: z.string().uuid('Not a video id') }).optional(),
    comment: z.object({ id: z.number().int().positive() }).optional(),
    account: z.object({ id: z.string().uuid('Not an account id') }).optional(),
  })
  .refine((v) => [v.video, v.comment, v.account].filter(Boolean).length === 1, {
    path: ['(root)'],
    message: 'Report exactly one video, comment or account',
  });
export type CreateAbuseInput = z.input<typeof CreateAbuseInputSchema>;

export const CreatedAbuseSchema = z.object({ abuse: z.object({ id: z.number().int().positive() }) });

export const AbuseStateIdSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const UpdateAbuseInputSchema = z
  .object({
    state: AbuseStateIdSchema.optional().describe('1 pending, 2 rejected, 3 accepted'),
    moderationComment: z.string().max(3000).optional(),
    deleteTarget: z
      .boolean()
      .optional()
      .describe('Also delete the reported video or comment (not available for accounts)'),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type UpdateAbuseInput = z.input<typeof UpdateAbuseInputSchema>;

export const ListAbusesQuerySchema = PageQuerySchema.extend({
  state: z.coerce.number().int().pipe(AbuseStateIdSchema).optional().describe('Only reports in this state'),
});
export type ListAbusesQuery = z.input<typeof ListAbusesQuerySchema>;

const AbusedVideoSchema = z.object({
  id: z.number().int(),
  uuid: z.string().uuid(),
  name: z.string(),
  deleted: z.boolean(),
});

export const AbuseSchema = z
  .object({
    id: z.number().int().positive(),
    reason: z.string(),
    predefinedReasons: z.array(z.string()),
    reporterAccount: AccountSummarySchema,
    state: labelledOf(AbuseStateIdSchema),
    moderationComment: z.string().nullable(),
    video: AbusedVideoSchema.nullable(),
    comment: z
      .object({
        id: z.number().int(),
        threadId: z.number().int(),
        text: z.string(),
        deleted: z.boolean(),
        video: AbusedVideoSchema,
      })
      .nullable(),
    flaggedAccount: AccountSummarySchema.nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .meta({ id: 'Abuse' });
export type AbuseDto = z.infer<typeof AbuseSchema>;
export const AbusePageSchema = pageOf(AbuseSchema).meta({ id: 'AbusePage' });

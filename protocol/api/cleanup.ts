import { z } from 'zod';

/** Query of `GET /api/v1/admin/cleanup`: oldest-deleted first is not promised; pages follow `cursor`. */
export const ListCleanupsQuerySchema = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListCleanupsQuery = z.input<typeof ListCleanupsQuerySchema>;

/** A deleted video whose stored files are not gone yet, and where its cleanup job stands. */
export const PendingCleanupSchema = z.object({
  videoId: z.string().uuid(),
  deletedAt: z.string().datetime().nullable(),
  state: z
    .enum(['pending', 'leased', 'failed', 'cancelled'])
    .describe('`failed`: out of attempts; the files stay and still count against the quota'),
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  lastError: z.string().nullable(),
  nextAttemptAt: z
    .string()
    .datetime()
    .nullable()
    .describe('When a waiting cleanup runs next; null otherwise'),
});
export type PendingCleanup = z.infer<typeof PendingCleanupSchema>;

export const PendingCleanupPageSchema = z.object({
  items: z.array(PendingCleanupSchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});
export type PendingCleanupPage = z.infer<typeof PendingCleanupPageSchema>;

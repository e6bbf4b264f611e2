import { z } from 'zod';

/**
 * Paging shared by every list of the social API (ADR 0015). PeerTube clients page with
 * `start`/`count` (an offset); our own clients pass the `nextCursor` of the previous page
 * (keyset, so pages neither repeat nor skip while items are added). A `cursor` wins over `start`.
 */
export const PageQuerySchema = z.object({
  start: z.coerce.number().int().min(0).max(100_000).default(0),
  count: z.coerce.number().int().min(1).max(100).default(15),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** A boolean query parameter as PeerTube clients send it (`true`/`false`). */
export const queryBoolean = () =>
  z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional();

/** `{ total, data, nextCursor }`: PeerTube's `{ total, data }` envelope plus our cursor. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    total: z.number().int().min(0).describe('How many items the caller may see in the whole list'),
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
  });
export type Page<T> = { total: number; data: T[]; nextCursor: string | null };

/**
 * PeerTube's `{ id, label }` for an enumerated field (privacy, abuse state, ...): where PeerTube's
 * type differs from ours, the PeerTube shape keeps PeerTube's name and ours goes beside it (ADR 0015).
 */
export const labelledOf = <T extends z.ZodType>(id: T) => z.object({ id, label: z.string() });

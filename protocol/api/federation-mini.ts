// The zod/mini twin of `FederationHealthSchema` (federation.ts) that the edge's admin page reads;
// `federation-mini.test.ts` holds it to the JSON Schema of its original (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';

/** Twin of `FederationHostHealthSchema`. */
export const FederationHostHealthMiniSchema = z.object({
  host: z.string(),
  status: z.enum(['ok', 'retrying', 'failing']),
  pending: z.int(),
  retrying: z.int(),
  delivered: z.int(),
  failed: z.int(),
  gone: z.int(),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(z.string()),
  oldestPendingAt: z.nullable(z.string()),
});

/** Twin of `FederationHealthSchema`. */
export const FederationHealthMiniSchema = z.object({
  queue: z.object({ ready: z.int(), delayed: z.int() }),
  pending: z.int(),
  hosts: z.array(FederationHostHealthMiniSchema),
});
export type FederationHealthMini = z.output<typeof FederationHealthMiniSchema>;

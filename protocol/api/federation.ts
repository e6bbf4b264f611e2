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

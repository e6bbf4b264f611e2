import { z } from 'zod';
import { EdgeVarsSchema } from '../../edge/src/env.js';
import { parseEnvOrThrow } from '../../protocol/env.js';

/**
 * The edge worker's vars and secrets, read off the worker's own schema (`EdgeVarsSchema` in
 * edge/src/env.ts), so a var the worker learns is passed through without a second list to update.
 */
export const EDGE_VARS = Object.keys(EdgeVarsSchema.shape) as ReadonlyArray<
  keyof typeof EdgeVarsSchema.shape
>;

/** What `npm run edge` reads besides the worker's own vars (which the worker validates itself). */
export const EdgeLauncherEnvSchema = z.object({
  EDGE_HOST: z.string().default('127.0.0.1'),
  EDGE_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** Replaced by the worker's own CLIENT_IP_SOURCE=header:<name>; refused so a stale setting is seen. */
  EDGE_CLIENT_IP_HEADER: z
    .undefined({ error: 'replaced by CLIENT_IP_SOURCE=header:<name> (e.g. header:x-real-ip)' })
    .optional(),
  /**
   * Nothing sets CF-Connecting-IP under `workerd serve` (the front worker drops a client's), so
   * that source would mean "no address" in disguise: refused, `none` or `header:<name>` instead.
   */
  CLIENT_IP_SOURCE: z
    .string()
    .optional()
    .refine((value) => value?.trim().toLowerCase() !== 'cf-connecting-ip', {
      error: 'nothing sets CF-Connecting-IP under workerd serve; use header:<name> or none',
    }),
  /** Where the bundle and the generated config go; a fresh temp folder when unset. */
  EDGE_BUILD_DIR: z.string().optional(),
});
export type EdgeLauncherEnv = z.infer<typeof EdgeLauncherEnvSchema>;

/** Parse the launcher's settings once; a bad value stops the process with every problem listed. */
export function parseEdgeLauncherEnv(source: NodeJS.ProcessEnv = process.env): EdgeLauncherEnv {
  return parseEnvOrThrow(EdgeLauncherEnvSchema, source);
}

/** The edge vars that are set (and not empty) in the environment. */
export function edgeVarsFromEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of EDGE_VARS) {
    const value = source[name];
    if (value !== undefined && value !== '') vars[name] = value;
  }
  return vars;
}

import type { z } from 'zod';

/**
 * Parse an environment (a `process.env` or worker bindings) against a schema. On failure, throw
 * one error that names every bad variable, so an operator fixes them all in one go.
 */
export function parseEnvOrThrow<T extends z.ZodType>(schema: T, source: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
  );
  throw new Error(`Invalid environment variables:\n${problems.join('\n')}`);
}

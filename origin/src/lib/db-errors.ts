/**
 * The name of the violated unique constraint when `error` is a PostgreSQL unique violation
 * (SQLSTATE 23505), from either postgres.js or PGlite; otherwise undefined.
 */
export function isUniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const candidate = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (candidate.code === '23505') {
      return String(candidate.constraint_name ?? candidate.constraint ?? 'unknown');
    }
  }
  return undefined;
}

/** The constraint a local name already taken by an account or a channel violates (one namespace). */
export const ACTOR_NAMES_KEY = 'actor_names_pkey';

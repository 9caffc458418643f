/** PostgreSQL error codes the services react to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PgError = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === PgError.uniqueViolation;
}

/** A transaction that lost a race PostgreSQL resolved by aborting it: running it again is safe. */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code === PgError.serializationFailure || code === PgError.deadlockDetected;
}

/**
 * The table a foreign-key violation found a row missing from (`users`, `posts`, …): a write whose
 * subject was deleted while it ran. Null for any other error.
 */
export function missingReference(error: unknown): string | null {
  if (codeOf(error) !== PgError.foreignKeyViolation) return null;
  const detail = (error as { detail?: unknown }).detail;
  const match = typeof detail === 'string' ? /is not present in table "([^"]+)"/.exec(detail) : null;
  return match?.[1] ?? 'unknown';
}

/**
 * Awaits `work`, turning a foreign-key violation into the answer for the table whose row vanished
 * while the write ran (`{ users: () => new UnauthorizedException(…) }`); anything else passes through.
 */
export async function answerMissingReference<T>(work: Promise<T>, answers: Record<string, () => Error>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const table = missingReference(error);
    const answer = table ? answers[table] : undefined;
    throw answer ? answer() : error;
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import { isRetryable } from './pg-errors';

/** Attempts in all for a transaction PostgreSQL aborted as a deadlock or serialization victim. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs `work` in a transaction, again from the start when PostgreSQL aborts it as a deadlock or
 * serialization victim (40P01, 40001): the other side of such a race has committed by then, so a
 * fresh attempt sees its work. Bounded; a last failure escapes as it is (the problem filter answers 503).
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
      // A little jitter so the two victims of one deadlock do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with [rows, count], SELECT with rows. */
export function returningRows<T>(result: unknown): T[] {
  const value = result as unknown[];
  return (Array.isArray(value[0]) ? value[0] : value) as T[];
}

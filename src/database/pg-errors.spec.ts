import { NotFoundException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { answerMissingReference, isRetryable, missingReference } from './pg-errors';
import { inTransaction, TRANSACTION_ATTEMPTS } from './transaction';

const pgError = (code: string, detail?: string) => Object.assign(new Error('pg'), { code, detail });

describe('PostgreSQL errors', () => {
  it('names the table a foreign-key violation found a row missing from', () => {
    expect(missingReference(pgError('23503', 'Key (author_id)=(x) is not present in table "users".'))).toBe('users');
    expect(missingReference(pgError('23503'))).toBe('unknown');
    expect(missingReference(pgError('23505'))).toBeNull();
  });

  it('turns a vanished row into the answer for its table, and leaves other errors alone', async () => {
    const vanished = Promise.reject(pgError('23503', 'Key (post_id)=(x) is not present in table "posts".'));
    await expect(answerMissingReference(vanished, { posts: () => new NotFoundException('No such post.') })).rejects.toThrow('No such post.');
    const other = pgError('23505');
    await expect(answerMissingReference(Promise.reject(other), { posts: () => new NotFoundException() })).rejects.toBe(other);
    await expect(answerMissingReference(Promise.resolve(7), {})).resolves.toBe(7);
  });

  it('retries deadlock and serialization victims only', () => {
    expect([pgError('40P01'), pgError('40001'), pgError('23505'), new Error('x')].map(isRetryable)).toEqual([true, true, false, false]);
  });
});

describe('inTransaction', () => {
  const dataSourceFailing = (failures: Error[]) => {
    let calls = 0;
    const dataSource = {
      transaction: (work: (manager: unknown) => Promise<unknown>) => {
        calls += 1;
        const failure = failures.shift();
        return failure ? Promise.reject(failure) : work({});
      },
    } as unknown as DataSource;
    return { dataSource, calls: () => calls };
  };

  it('runs the work again after a deadlock, from the start', async () => {
    const { dataSource, calls } = dataSourceFailing([pgError('40P01'), pgError('40001')]);
    await expect(inTransaction(dataSource, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(calls()).toBe(3);
  });

  it('gives up after a bounded number of attempts, and never retries other errors', async () => {
    const many = dataSourceFailing(Array.from({ length: 10 }, () => pgError('40P01')));
    await expect(inTransaction(many.dataSource, () => Promise.resolve('done'))).rejects.toMatchObject({ code: '40P01' });
    expect(many.calls()).toBe(TRANSACTION_ATTEMPTS);
    const unique = dataSourceFailing([pgError('23505')]);
    await expect(inTransaction(unique.dataSource, () => Promise.resolve('done'))).rejects.toMatchObject({ code: '23505' });
    expect(unique.calls()).toBe(1);
  });
});

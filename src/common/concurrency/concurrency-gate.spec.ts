import fc from 'fast-check';
import { ConcurrencyGate, GateFull } from './concurrency-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('never runs more than `concurrency` tasks at once, runs every accepted task, in arrival order, and sheds the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }), async (concurrency, maxWaiting, delays) => {
        const gate = new ConcurrencyGate(concurrency, maxWaiting);
        let active = 0;
        let peak = 0;
        const started: number[] = [];
        const outcomes = await Promise.allSettled(
          delays.map((delay, i) =>
            gate.run(async () => {
              started.push(i);
              active += 1;
              peak = Math.max(peak, active);
              for (let t = 0; t < delay; t += 1) await tick();
              active -= 1;
              return i;
            }),
          ),
        );
        const accepted = Math.min(delays.length, concurrency + maxWaiting); // all arrive before any finishes
        expect(peak).toBeLessThanOrEqual(concurrency);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(accepted);
        expect(outcomes.slice(accepted).every((o) => o.status === 'rejected' && o.reason instanceof GateFull)).toBe(true);
        expect(started).toEqual(Array.from({ length: accepted }, (_, i) => i));
        expect(gate.queued).toBe(0);
      }),
    );
  });

  it('frees the slot when a task fails', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

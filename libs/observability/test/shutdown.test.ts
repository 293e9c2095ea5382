import { createLogger } from '../src/logger';
import { createShutdown } from '../src/shutdown';

const logger = createLogger('shutdown-test', 'silent');

describe('createShutdown', () => {
  test('when every step finishes, then they ran once, in order, and the code is 0', async () => {
    const order: string[] = [];
    const shutdown = createShutdown(
      ['http', 'consumers', 'postgres'].map((name) => ({ name, stop: async () => void order.push(name) })),
      { logger, deadlineMs: 1_000 },
    );
    const [first, second] = await Promise.all([shutdown('SIGTERM'), shutdown('SIGINT')]);
    expect([first, second]).toEqual([0, 0]);
    expect(order).toEqual(['http', 'consumers', 'postgres']);
  });

  test('when a step throws, then the later steps still run and the code is 1', async () => {
    const order: string[] = [];
    const shutdown = createShutdown(
      [
        { name: 'http', stop: () => { throw new Error('already closed'); } },
        { name: 'postgres', stop: () => void order.push('postgres') },
      ],
      { logger, deadlineMs: 1_000 },
    );
    expect(await shutdown('SIGTERM')).toBe(1);
    expect(order).toEqual(['postgres']);
  });

  test('when a step outlives the deadline, then shutdown resolves 1 at the deadline without waiting for it', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const shutdown = createShutdown([{ name: 'consumers', stop: () => hanging }], { logger, deadlineMs: 200 });
    const started = Date.now();
    expect(await shutdown('SIGTERM')).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    release();
  });
});

import net from 'node:net';
import { freePort } from '../src';

describe('freePort', () => {
  it('when a port is handed out, then a server can listen on it at once', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });

  it('when two jest workers ask for many ports at once, then no port is handed out twice, and none is in the ephemeral range', async () => {
    const first = await Promise.all(Array.from({ length: 50 }, () => freePort(1)));
    const second = await Promise.all(Array.from({ length: 50 }, () => freePort(2)));
    expect(new Set([...first, ...second]).size).toBe(100);
    for (const port of [...first, ...second]) expect(port).toBeLessThan(32_768);
  });

  it('when the next port of a slice is taken, then the one after it is handed out', async () => {
    const taken = await freePort(3);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(taken + 1, '127.0.0.1', resolve));
    try {
      expect(await freePort(3)).not.toBe(taken + 1);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

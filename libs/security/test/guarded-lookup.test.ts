import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import { createGuardedLookup, UnsafeUrlError } from '@pingback/security';
import { startTcpListener, type TcpListener } from './fixtures/loopback-server';
import { waitFor } from './fixtures/wait-for';

type LookupResult = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function lookupOnce(lookup: ReturnType<typeof createGuardedLookup>, options: { all?: boolean; family?: number }): Promise<LookupResult> {
  return new Promise((resolve) => lookup('evil.test', options, (err, address, family) => resolve({ err, address, family })));
}

function connect(lookup: ReturnType<typeof createGuardedLookup>, port: number): Promise<Error | 'connected'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'evil.test', port, lookup });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err) => resolve(err));
  });
}

describe('createGuardedLookup', () => {
  let listener: TcpListener;
  beforeAll(async () => {
    listener = await startTcpListener('127.0.0.1', 0);
  });
  afterAll(() => listener.close());

  test('when a name resolves to loopback and allowPrivate is off, then the connection is refused and the listener sees none', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolver: async () => ['127.0.0.1'] });
    const outcome = await connect(lookup, listener.port);
    expect(outcome).toBeInstanceOf(UnsafeUrlError);
    expect(outcome).toMatchObject({ reason: 'private_address', address: '127.0.0.1' });
    expect(listener.connections()).toBe(0);
  });

  test('when the same name is allowed to be private, then the same connection reaches the listener', async () => {
    const before = listener.connections();
    const lookup = createGuardedLookup({ allowPrivate: true, resolver: async () => ['127.0.0.1'] });
    expect(await connect(lookup, listener.port)).toBe('connected');
    await waitFor(() => listener.connections() === before + 1);
  });

  test('when any one of several addresses is private, then the whole lookup is refused', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolver: async () => ['93.184.216.34', '10.1.2.3'] });
    const { err } = await lookupOnce(lookup, { all: true });
    expect(err).toBeInstanceOf(UnsafeUrlError);
  });

  test('when every address is public, then they are all handed to net, or the first one of the asked family', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolver: async () => ['93.184.216.34', '2606:4700:4700::1111'] });
    expect(await lookupOnce(lookup, { all: true })).toEqual({
      err: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ],
      family: undefined,
    });
    expect(await lookupOnce(lookup, { family: 6 })).toEqual({ err: null, address: '2606:4700:4700::1111', family: 6 });
    expect(await lookupOnce(lookup, {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
  });

  test('when the name does not resolve, then net gets an ENOTFOUND error, not an unsafe one', async () => {
    const empty = createGuardedLookup({ allowPrivate: false, resolver: async () => [] });
    const { err } = await lookupOnce(empty, {});
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
    expect(err).not.toBeInstanceOf(UnsafeUrlError);
  });
});

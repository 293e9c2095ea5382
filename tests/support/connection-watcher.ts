import net from 'node:net';

/**
 * A loopback TCP port that only counts the connections made to it, to prove that a refused URL was never
 * contacted: point the URL at `port`, then check `connections()` is still 0.
 */
export async function watchConnections(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import net from 'node:net';

/**
 * Ports handed out come from below Linux's ephemeral range (32768–60999), which the OS uses for `listen(0)` and
 * for outgoing connections: a port chosen here is never picked by another process's `listen(0)` (the receivers and
 * fakes of other test files) between now and its owner's bind. The range is split in one slice per jest worker, so
 * two test files running at once never hand out the same port either; within a slice ports go round in turn.
 */
const FIRST_PORT = 20_000;
const SLICES = 8;
const SLICE_SIZE = Math.floor((32_768 - FIRST_PORT) / SLICES);

const nextInSlice = new Map<number, number>();

/** This process's slice: its jest worker's, or slice 0 outside jest (a bench, a script). */
const sliceOfThisProcess = () => Number(process.env.JEST_WORKER_ID ?? 0) % SLICES;

/** A TCP port on 127.0.0.1 that nothing listens on right now, from this process's slice (see above). */
export async function freePort(slice = sliceOfThisProcess()): Promise<number> {
  for (let tried = 0; tried < SLICE_SIZE; tried += 1) {
    const port = takeNext(slice);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in slice ${slice} (${FIRST_PORT + slice * SLICE_SIZE} and the ${SLICE_SIZE - 1} after it)`);
}

/** The slice's next port, taken before any await: calls made at once each get their own. */
function takeNext(slice: number): number {
  const offset = nextInSlice.get(slice) ?? Math.floor(Math.random() * SLICE_SIZE);
  nextInSlice.set(slice, (offset + 1) % SLICE_SIZE);
  return FIRST_PORT + slice * SLICE_SIZE + offset;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

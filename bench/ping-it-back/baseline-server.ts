/**
 * The baseline: an empty Express 5 route that parses JSON and answers like a send. Run as its own process (see
 * baseline-process.ts), like the gateway, so it does not share the load generator's event loop. It tells its
 * parent the port it listens on.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.disable('x-powered-by');
app.post('/v1/send/:token', express.json({ limit: '64kb' }), (_req, res) => {
  res.json({ ok: true, id: 'x' });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));

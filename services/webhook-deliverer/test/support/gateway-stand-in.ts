import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the gateway's internal port, the owner of channels: it answers
 * `GET /internal/signers/channel/:id` with the secrets the test registered, 404 for any other signer, and counts
 * the questions per signer (the deliverer's cache should ask once). Like the gateway, it answers 404 to a call
 * without our internal-call credential, so a deliverer that did not send it could sign nothing.
 */
export async function startGatewayStandIn(signers: Map<string, string[]>, credential: string) {
  const asked = new Map<string, number>();
  const server = http.createServer((req, res) => {
    if (req.headers['x-pingback-internal'] !== credential) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'route not found' }));
      return;
    }
    const match = /^\/internal\/signers\/channel\/([^/?]+)$/.exec(req.url ?? '');
    const signerId = match ? decodeURIComponent(match[1]!) : undefined;
    if (signerId) asked.set(signerId, (asked.get(signerId) ?? 0) + 1);
    const secrets = signerId ? signers.get(signerId) : undefined;
    if (!secrets) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'signer not found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secrets }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** How many times the channel's secrets were asked for. */
    askedFor: (signerId: string) => asked.get(signerId) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

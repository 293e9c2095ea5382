import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in keys a signer: `channel/ch_…`, `room/…`. */
export const signerKey = (kind: string, id: string) => `${kind}/${id}`;

/**
 * Stands in for the gateway's internal port, the owner of channels and rooms: it answers
 * `GET /internal/signers/:kind/:id` with the secrets the test registered under `signerKey(kind, id)`, 404 for any
 * other signer, and counts the questions per signer (the deliverer's cache should ask once). Like the gateway, it
 * answers 404 to a call without our internal-call credential, so a deliverer that did not send it could sign nothing.
 */
export async function startGatewayStandIn(signers: Map<string, string[]>, credential: string) {
  const asked = new Map<string, number>();
  const server = http.createServer((req, res) => {
    if (req.headers['x-pingback-internal'] !== credential) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'route not found' }));
      return;
    }
    const match = /^\/internal\/signers\/(channel|room)\/([^/?]+)$/.exec(req.url ?? '');
    const key = match ? signerKey(match[1]!, decodeURIComponent(match[2]!)) : undefined;
    if (key) asked.set(key, (asked.get(key) ?? 0) + 1);
    const secrets = key ? signers.get(key) : undefined;
    if (!secrets) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'signer not found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secrets }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** How many times the signer's secrets were asked for. */
    askedFor: (kind: string, signerId: string) => asked.get(signerKey(kind, signerId)) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import type { Server } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import type { PingbackConnection } from './pingback-connection';
import { createPingbackMcpServer } from './server';

export const CHANNEL_TOKEN_HEADER = 'x-pingback-channel-token';

/**
 * The MCP server over streamable HTTP at `POST /mcp`, stateless: each request gets its own server, whose credentials
 * are the request's (the API key as Bearer, the channel token in X-Pingback-Channel-Token), else the defaults it
 * was started with. Listens on loopback unless told otherwise. Agents are programs: a request a browser page could
 * make (one with an Origin, or a body that is not labelled JSON) is refused, so no web page the user opens can
 * call the tools with the server's own credentials.
 */
export function startHttpServer(defaults: PingbackConnection, options: { port: number; host: string }): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.post('/mcp', (req, res, next) => {
    if (req.get('origin') !== undefined) return void res.status(403).json({ error: 'forbidden', message: 'requests from web pages are not accepted' });
    if (!req.is('application/json')) return void res.status(415).json({ error: 'unsupported_media_type', message: 'send JSON-RPC as application/json' });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.post('/mcp', async (req, res) => {
    const authorization = req.get('authorization');
    const token = req.get(CHANNEL_TOKEN_HEADER);
    const bearer = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization ?? '')?.[1];
    if (authorization !== undefined && !bearer) return void res.status(401).json({ error: 'unauthorized', message: 'Authorization must be Bearer <API key>' });
    // A request that brings credentials uses its own alone; only one that brings none uses the server's.
    const own = authorization !== undefined || token !== undefined;
    const connection: PingbackConnection = own ? { url: defaults.url, apiKey: bearer, channelToken: token } : defaults;
    const server = createPingbackMcpServer(connection);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  // A body that is not JSON, or too large: JSON-RPC's parse error, not the framework's HTML page.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err.type) return next(err);
    res.status(err.status ?? 400).json({ jsonrpc: '2.0', error: { code: -32700, message: err.type === 'entity.too.large' ? 'the request is larger than 1 MiB' : 'the body is not JSON' }, id: null });
  });
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null });
  });
  // Stateless: no session to stream to or end.
  app.all('/mcp', (_req, res) => void res.status(405).set('allow', 'POST').json({ error: 'method_not_allowed', message: 'POST JSON-RPC to /mcp' }));
  return new Promise((resolve) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
  });
}

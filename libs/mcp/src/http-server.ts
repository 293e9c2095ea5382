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
  app.post('/mcp', (req, res, next) => {
    if (req.get('origin') !== undefined) return void res.status(403).json({ error: 'forbidden', message: 'requests from web pages are not accepted' });
    if (!req.is('application/json')) return void res.status(415).json({ error: 'unsupported_media_type', message: 'send JSON-RPC as application/json' });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.post('/mcp', async (req, res) => {
    const bearer = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const connection: PingbackConnection = { url: defaults.url, apiKey: bearer ?? defaults.apiKey, channelToken: req.get(CHANNEL_TOKEN_HEADER) ?? defaults.channelToken };
    const server = createPingbackMcpServer(connection);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  // Stateless: no session to stream to or end.
  app.all('/mcp', (_req, res) => void res.status(405).set('allow', 'POST').json({ error: 'method_not_allowed', message: 'POST JSON-RPC to /mcp' }));
  return new Promise((resolve) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
  });
}

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { PingbackConnection } from './pingback-connection';
import { registerPingbackTools } from './tools';

/** A Pingback MCP server for one connection (one account's credentials). */
export function createPingbackMcpServer(connection: PingbackConnection): McpServer {
  const server = new McpServer({ name: 'pingback', version: '0.1.0' });
  registerPingbackTools(server, connection);
  return server;
}

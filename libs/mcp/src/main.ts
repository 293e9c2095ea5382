import type { AddressInfo } from 'node:net';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { resolveCredentials } from '@pingback/cli';
import { startHttpServer } from './http-server';
import { createPingbackMcpServer } from './server';

/**
 * `pingback-mcp`: over stdio (what an agent's MCP client starts), or `pingback-mcp --http [--port 3333] [--host
 * 127.0.0.1]` over streamable HTTP. Credentials as the `pingback` command reads them: PINGBACK_URL,
 * PINGBACK_API_KEY, PINGBACK_TOKEN, else the file `pingback login` wrote.
 */
async function main(argv: string[]): Promise<void> {
  const credentials = resolveCredentials({});
  const connection = { url: credentials.url, apiKey: credentials.apiKey, channelToken: credentials.channelToken };
  if (!argv.includes('--http')) {
    await createPingbackMcpServer(connection).connect(new StdioServerTransport());
    return;
  }
  const valueOf = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const server = await startHttpServer(connection, { port: Number(valueOf('--port') ?? 3333), host: valueOf('--host') ?? '127.0.0.1' });
  const address = server.address() as AddressInfo;
  process.stderr.write(`pingback-mcp: streamable HTTP at http://${address.address}:${address.port}/mcp\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`pingback-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});

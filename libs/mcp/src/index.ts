export { createPingbackMcpServer } from './server';
export { startHttpServer, CHANNEL_TOKEN_HEADER } from './http-server';
export type { PingbackConnection } from './pingback-connection';

import { callApi, CliError, refusal, type ApiAnswer, type ApiCall } from '@pingback/cli';

/** Where the tools reach Pingback, and as whom: the API key (approvals, stages) and a channel token (pings). */
export interface PingbackConnection {
  url: string;
  apiKey: string | undefined;
  channelToken: string | undefined;
}

/** Calls the API and returns the body of an expected status, or throws the API's refusal as one line. */
export async function expectStatus<T>(connection: PingbackConnection, path: string, status: number, call: ApiCall = {}): Promise<T> {
  const answer: ApiAnswer<T> = await callApi<T>(connection.url, path, call);
  if (answer.status !== status) throw refusal(answer);
  return answer.body;
}

export function apiKeyOf(connection: PingbackConnection): string {
  if (!connection.apiKey) throw new CliError('no API key: set PINGBACK_API_KEY for the MCP server (or send it as Bearer over HTTP)');
  return connection.apiKey;
}

export function channelTokenOf(connection: PingbackConnection): string {
  if (!connection.channelToken) throw new CliError('no channel token: set PINGBACK_TOKEN for the MCP server (or send X-Pingback-Channel-Token over HTTP)');
  return connection.channelToken;
}

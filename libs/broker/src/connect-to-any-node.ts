import { connect, type ChannelModel } from 'amqplib';
import { parseBrokerUrls } from './broker-urls';

/**
 * One short-lived connection for a tool (the parked-messages CLI): the first of the nodes in `url` (one URL or
 * a comma-separated list) that accepts it. Rejects with the last node's error when none does.
 */
export async function connectToAnyNode(url: string): Promise<ChannelModel> {
  let lastError: unknown;
  for (const nodeUrl of parseBrokerUrls(url)) {
    try {
      return await connect(nodeUrl, { noDelay: true });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * The RabbitMQ nodes a broker may connect to: one amqp URL, or several (the nodes of a cluster) as a list or
 * comma-separated in one string, as RABBITMQ_URL holds them. Blanks around the commas are ignored.
 */
export function parseBrokerUrls(value: string | readonly string[]): string[] {
  const urls = (typeof value === 'string' ? value.split(',') : [...value]).map((url) => url.trim()).filter(Boolean);
  if (urls.length === 0) throw new Error('no RabbitMQ URL given');
  urls.forEach((url, index) => {
    const problem = brokerUrlProblem(url);
    if (problem) throw new Error(`RabbitMQ URL ${index + 1} of ${urls.length} ${problem}`);
  });
  return urls;
}

/** Why `url` cannot address a RabbitMQ node, or undefined when it can. Never repeats the URL (it may hold a password). */
export function brokerUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'is not a URL';
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'amqp:' && protocol !== 'amqps:') return `must start with amqp:// or amqps://, not ${protocol}//`;
  if (!hostname) return 'names no host';
  return undefined;
}

/** `url` fit for a log line: the password, if any, masked. */
export function redactBrokerUrl(url: string): string {
  if (!URL.canParse(url)) return '[unparseable URL]';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = 'REDACTED';
  return parsed.toString();
}

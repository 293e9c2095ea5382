/**
 * Issue 11's acceptance against `npm start`'s stack: an open loop of sends at a fixed rate (default 100/s for
 * 60 s) through the running gateway. Prints: every status that was not 200, the slowest answers, whether every
 * send arrived at its webhook, and whether every delivery succeeded on its first attempt (GET /api/messages/{id}:
 * the dispatcher's record of the deliverer's attempts). Exits 1 when any of those fails.
 *
 *   npm start
 *   bench/node_modules/.bin/tsx bench/acceptance/open-loop-npm-start.ts [--rate 100] [--seconds 60]
 *
 * Reads the gateway's port and the development API key from .pingback/.env (npm start writes it). The sends are
 * spread over enough channels that none passes PINGBACK_SEND_RATE_PER_MINUTE (default 600 per channel), as an
 * ops team's services each have their own channel; each channel has one webhook destination, a loopback
 * receiver this script runs.
 */
import { performance } from 'node:perf_hooks';
import { readNpmStartEnv } from '../fan-out/npm-start-env';
import { startArrivalReceiver } from '../ping-it-back/arrival-receiver';

const PER_CHANNEL_PER_SECOND = 8;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function main(): Promise<void> {
  const rate = argument('rate', 100);
  const seconds = argument('seconds', 60);
  const env = readNpmStartEnv();
  const gateway = `http://127.0.0.1:${env.PORT ?? env.GATEWAY_PORT ?? '8080'}`;
  const apiKey = env.DEV_API_KEY;
  if (!apiKey) throw new Error('DEV_API_KEY is missing from .pingback/.env: run npm start first');
  const receiver = await startArrivalReceiver();
  const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

  const channelCount = Math.ceil(rate / PER_CHANNEL_PER_SECOND);
  const tokens: string[] = [];
  for (let i = 0; i < channelCount; i++) {
    const response = await fetch(`${gateway}/api/channels`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: `open loop ${i}`, destinations: [{ type: 'webhook', url: `${receiver.url}/hook` }] }),
    });
    if (response.status !== 201) throw new Error(`creating a channel answered ${response.status}: ${await response.text()}`);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  console.log(`${channelCount} channels, ${rate} sends/s for ${seconds} s against ${gateway}`);

  const total = Math.round(rate * seconds);
  const answeredMs: number[] = [];
  const refused = new Map<string, number>();
  const refuse = (what: string): void => void refused.set(what, (refused.get(what) ?? 0) + 1);
  const accepted: { id: string; dueAt: number }[] = [];
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const dueAt = started + (n * 1000) / rate;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const token = tokens[n % tokens.length] as string;
    sends.push(
      fetch(`${gateway}/v1/send/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `open loop ${n}`, body: 'from bench/acceptance', actions: [{ type: 'button', label: 'OK', key: 'ok' }] }),
      }).then(
        async (response) => {
          answeredMs.push(performance.now() - dueAt);
          const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
          if (response.status === 200 && body.id) accepted.push({ id: body.id, dueAt });
          else refuse(`${response.status} ${body.error ?? ''}`);
        },
        (error: Error) => refuse(`connection ${error.message}`),
      ),
    );
  }
  await Promise.all(sends);

  const deadline = performance.now() + 60_000;
  while (accepted.some(({ id }) => !receiver.arrivals.has(id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const missing = accepted.filter(({ id }) => !receiver.arrivals.has(id));
  const arrivalMs = accepted.filter(({ id }) => receiver.arrivals.has(id)).map(({ id, dueAt }) => (receiver.arrivals.get(id) as number) - dueAt).sort((a, b) => a - b);

  // Every delivery on its first attempt: the dispatcher's record of what the deliverer reported.
  const notFirst: string[] = [];
  for (let i = 0; i < accepted.length; i += 20) {
    await Promise.all(
      accepted.slice(i, i + 20).map(async ({ id }) => {
        const response = await fetch(`${gateway}/api/messages/${id}`, { headers: auth });
        const message = (await response.json()) as { deliveries?: { type: string; status: string; attempts: number }[] };
        const webhook = message.deliveries?.find((delivery) => delivery.type === 'webhook');
        if (!webhook || webhook.status !== 'delivered' || webhook.attempts !== 1) notFirst.push(`${id}: ${JSON.stringify(webhook ?? message)}`);
      }),
    );
  }
  await receiver.close();

  const answered = answeredMs.sort((a, b) => a - b);
  const slow = answered.filter((ms) => ms > 1_000).length;
  console.log(`sends: ${total}, accepted ${accepted.length}, refused ${total - accepted.length}`);
  for (const [what, count] of refused) console.log(`  refused: ${count} × ${what}`);
  console.log(`due → answer: p50 ${percentile(answered, 50).toFixed(1)} ms, p99 ${percentile(answered, 99).toFixed(1)} ms, max ${(answered.at(-1) ?? NaN).toFixed(1)} ms; slower than 1 s: ${slow}`);
  console.log(`due → arrival: p50 ${percentile(arrivalMs, 50).toFixed(1)} ms, p99 ${percentile(arrivalMs, 99).toFixed(1)} ms; missing after 60 s: ${missing.length}; duplicates: ${receiver.duplicates}`);
  console.log(`deliveries not delivered on their first attempt: ${notFirst.length}`);
  for (const line of notFirst.slice(0, 5)) console.log(`  ${line}`);
  const ok = accepted.length === total && slow === 0 && missing.length === 0 && notFirst.length === 0;
  console.log(ok ? 'PASS: no refusal, no answer slower than 1 s, every delivery on its first attempt' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

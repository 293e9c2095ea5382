import { int, ms } from '../ping-it-back/format';
import type { MachineDescription } from '../ping-it-back/machine';
import type { DeliveryCheck } from './delivery-check';
import type { DispatcherWork } from './fanout-pages';
import type { FanoutOptions } from './options';
import type { WebhookSink } from './webhook-sink';

export function settingsLines(
  machine: MachineDescription,
  options: FanoutOptions,
  settings: { overrides: Record<string, string>; pageSize: number; socketsPerOrigin: number; prefetch: number; queues: string },
): string[] {
  return [
    `machine     ${machine.cpus}, ${machine.memory}, ${machine.os}`,
    `node        ${machine.node}`,
    `postgres    ${machine.postgres}`,
    `rabbitmq    ${machine.rabbitmq}; ${settings.queues}; every publish waits for its publisher confirm`,
    `services    ${Object.entries(settings.overrides)
      .map(([name, value]) => `${name}=${value === '' ? "''" : value}`)
      .join(' ')}`,
    `fan-out     ${int(options.destinations)} webhook destinations on one channel, pages of ${settings.pageSize} (PINGBACK_FANOUT_PAGE_SIZE), ` +
      `${options.dispatchers} notification-dispatcher process${options.dispatchers > 1 ? 'es' : ''}, 1 webhook-deliverer ` +
      `(${settings.socketsPerOrigin} keep-alive sockets per origin, prefetch ${settings.prefetch}); time-out ${options.timeoutSeconds} s`,
  ];
}

/** What the sink saw in a phase: whether it was exactly one POST per destination, and how many connections it took. */
export function sinkLines(check: DeliveryCheck, sink: Pick<WebhookSink, 'connections'>, what: string): string[] {
  const problems = [
    check.distinctIds !== check.expected && `${int(check.distinctIds)} distinct webhook-ids`,
    check.duplicateIds && `${int(check.duplicateIds)} webhook-ids arrived again`,
    check.missingPaths && `${int(check.missingPaths)} destinations got nothing`,
    check.repeatedPaths && `${int(check.repeatedPaths)} POSTs to a destination that already had one`,
    check.unexpectedPaths && `${int(check.unexpectedPaths)} POSTs to other paths`,
    check.withoutId && `${int(check.withoutId)} POSTs without a webhook-id`,
  ].filter(Boolean);
  return [
    `  ${check.exact ? `exactly ${int(check.expected)} distinct ${what} arrived, one per destination, none twice` : `NOT exactly ${int(check.expected)} ${what}: ${problems.join('; ')}`}`,
    `  the sender opened ${int(sink.connections)} TCP connections to the sink`,
  ];
}

/** Which dispatcher process wrote the first page (with the send) and how many later pages each took. */
export function dispatcherLine(work: readonly DispatcherWork[], pageSize: number, destinations: number): string {
  const pages = Math.ceil(destinations / pageSize);
  const first = work.flatMap((done, index) => (done.sends > 0 ? [index + 1] : []));
  return (
    `  ${pages} pages of up to ${pageSize} destinations: the first written with the send by dispatcher ${first.join(' and ') || '(none seen)'}, ` +
    `the other ${pages - 1} from the fan-out queue: ${work.map((done, index) => `dispatcher ${index + 1} took ${int(done.pages)}`).join(', ')}`
  );
}

export const probeLine = (arrivedAfterMs: number | undefined, bodyBytes: number): string =>
  arrivedAfterMs === undefined
    ? `  the probe send did not arrive: the raw HTTP baseline posts ${bodyBytes}-byte bodies instead`
    : `  one send to a one-destination channel arrived after ${ms(arrivedAfterMs)}; its webhook body has ${bodyBytes} bytes (the baseline posts this size)`;

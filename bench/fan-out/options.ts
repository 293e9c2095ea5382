/** What one run of bench/fan-out does, from its command line. */
export interface FanoutOptions {
  /** Webhook destinations on the channel: the deliveries one send becomes, and the raw HTTP baseline's POSTs. */
  destinations: number;
  /** notification-dispatcher processes, competing for the fan-out's pages. */
  dispatchers: number;
  /** How long the fan-out may take before the run reports what arrived. */
  timeoutSeconds: number;
}

export const DEFAULT_OPTIONS: FanoutOptions = { destinations: 10_000, dispatchers: 1, timeoutSeconds: 600 };

const FLAGS = { '--destinations': 'destinations', '--dispatchers': 'dispatchers', '--timeout': 'timeoutSeconds' } as const;

export const USAGE = 'usage: bench/node_modules/.bin/tsx bench/fan-out/run.ts [--destinations 10000] [--dispatchers 1] [--timeout 600]';

/** `--name value` or `--name=value`, each a whole number of at least 1; anything else throws with the usage line. */
export function parseOptions(argv: readonly string[]): FanoutOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (!(flag in FLAGS)) throw new Error(`unknown argument "${argv[i]}"\n${USAGE}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a whole number of at least 1, not "${raw ?? ''}"\n${USAGE}`);
    options[FLAGS[flag as keyof typeof FLAGS]] = value;
  }
  return options;
}

import { Command, InvalidArgumentError, Option } from 'commander';
import { approve } from './commands/approve';
import { login } from './commands/login';
import { run } from './commands/run';
import { send } from './commands/send';
import { tail } from './commands/tail';
import { resolveCredentials, type CredentialFlags } from './credentials';
import { CliError, EXIT } from './exit-codes';

const wholeNumber = (min: number, max: number) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return Number(value);
};
const collect = (value: string, previous: string[]) => [...previous, value];

/** The `pingback` command line. Each action resolves to the exit code; `main.ts` exits with it. */
export function buildProgram(done: (exitCode: number) => void): Command {
  const program = new Command('pingback')
    .description('Send a ping and wait for the answer, ask for an approval, wrap a cron job, follow deliveries.')
    .addOption(new Option('--url <url>', 'Pingback’s address').env('PINGBACK_URL'))
    .addOption(new Option('--key <api-key>', 'the API key (pbk_…)').env('PINGBACK_API_KEY'))
    .addOption(new Option('--token <channel-token>', 'the channel token (pbt_…) that send uses').env('PINGBACK_TOKEN'))
    .showHelpAfterError()
    // `pingback send --help` also lists --url, --key and --token, which it reads.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride((err) => {
      // Usage errors exit 2, as the other failures; --help and --version exit 0.
      process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.failed);
    });
  const credentials = () => resolveCredentials(program.opts<CredentialFlags>());
  const act =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      done(await action(...args));

  program
    .command('login')
    .description('check an API key and save it (with the address and a channel token) for the other commands')
    .action(act(() => login(program.opts<CredentialFlags>())));

  program
    .command('send')
    .description('send a notification; with --wait, print the chosen button key once someone answers')
    .requiredOption('--title <title>', 'the notification’s title')
    .option('--body <text>', 'its text')
    .option('--button <key:Label>', 'a button (repeat for more): its answer key, a colon, its label', collect, [])
    .addOption(new Option('--priority <priority>', 'how urgent').choices(['low', 'normal', 'high', 'critical']))
    .option('--expires-in <seconds>', 'how long it can be answered, in seconds (the server allows 60 to 604800 by default)', wholeNumber(1, 604_800))
    .option('--wait', 'wait for the answer: exit 0 with its key on stdout, 1 when none comes')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 1)', wholeNumber(1, 604_800))
    .option('--poll-interval <seconds>', 'how often to ask while waiting', wholeNumber(1, 60), 1)
    .action(act((options) => send(credentials(), options)));

  program
    .command('approve')
    .description("ask the account's reviewers and wait: exit 0 approved, 1 denied")
    .argument('<context>', 'what needs deciding, as the reviewers will read it')
    .option('--timeout <seconds>', 'how long the reviewers have (1 to 86400)', wholeNumber(1, 86_400), 300)
    .addOption(new Option('--timeout-action <action>', 'what silence means').choices(['deny', 'approve']).default('deny'))
    .option('--reviewer <id>', 'a reviewer to ask (repeat for more; default: the account’s default reviewers)', collect, [])
    .action(act((context: string, options) => approve(credentials(), context, options)));

  program
    .command('run')
    .description('run a command and report it to a heartbeat or a process hook; exits with its code')
    .option('--heartbeat <id>', 'ping this heartbeat with the exit code, duration and output tail')
    .option('--process <id>', 'start and finish a run of this process hook around the command')
    .argument('<command...>', 'the command and its arguments, after --')
    .action(act((command: string[], options) => run(credentials, options, command)));

  program
    .command('tail')
    .description('follow the deliveries of the newest messages')
    .option('-n, --lines <count>', 'how many of the newest messages', wholeNumber(1, 100), 20)
    .option('--interval <seconds>', 'how often to look again', wholeNumber(1, 3_600), 2)
    .option('--once', 'print what there is now and exit')
    .action(act((options) => tail(credentials(), options)));

  return program;
}

/** Runs the command line; a CliError is one line on stderr and its exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`pingback: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  return exitCode;
}

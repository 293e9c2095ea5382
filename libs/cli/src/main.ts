import { runCli } from './program';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pingback: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);

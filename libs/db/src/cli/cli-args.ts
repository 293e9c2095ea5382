/** The value of `--name value` or `--name=value`, and the arguments left once it is taken out. */
export function takeOption(argv: readonly string[], name: string): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === name) {
      value = argv[i + 1];
      if (value === undefined) throw new Error(`${name} needs a value`);
      i += 1;
    } else if (arg.startsWith(`${name}=`)) {
      value = arg.slice(name.length + 1);
    } else {
      rest.push(arg);
    }
  }
  return { value, rest };
}

/** Runs a CLI's main; prints the error's message (not a stack) and exits 1 when it fails. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}

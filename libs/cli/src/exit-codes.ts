/** What `pingback` exits with: scripts branch on these. `run` exits with its command's own code instead. */
export const EXIT = {
  /** Answered (send --wait), approved (approve), done. */
  ok: 0,
  /** The answer was no: denied, or no answer came (expired, timed out, read by someone else). */
  no: 1,
  /** It could not be done: bad usage, missing credentials, the API refused or could not be reached. */
  failed: 2,
} as const;

/** An error that ends the command with its exit code and a one-line message on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface LiveLine {
  /** What the line says after the spinner and the elapsed time. */
  set(status: string): void;
  /** Clears the line (on a terminal) and stops. */
  stop(): void;
}

/**
 * A status line on stderr while a command waits: on a terminal it redraws in place with a spinner and the elapsed
 * time; elsewhere (a log, a CI job) it prints each new status once, so stdout stays the answer alone.
 */
export function liveLine(what: string, stream: NodeJS.WriteStream = process.stderr): LiveLine {
  const started = Date.now();
  let status = '';
  let frame = 0;
  const elapsed = () => `${Math.floor((Date.now() - started) / 1000)}s`;
  if (!stream.isTTY) {
    return {
      set(next) {
        if (next !== status) stream.write(`${what} · ${elapsed()} · ${next}\n`);
        status = next;
      },
      stop() {},
    };
  }
  const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${what} · ${elapsed()} · ${status}`);
  const timer = setInterval(draw, 100);
  return {
    set(next) {
      status = next;
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

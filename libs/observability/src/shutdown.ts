import type { Logger } from 'pino';

export interface StopStep {
  name: string;
  stop: () => Promise<void> | void;
}

/**
 * Runs the stop steps once, in order, under one deadline. Returns the exit code: 0 when every step
 * finished in time, 1 otherwise. Installing signal handlers is main.ts's job, not this module's.
 */
export function createShutdown(steps: StopStep[], options: { logger: Logger; deadlineMs: number }) {
  let running: Promise<number> | undefined;
  return function shutdown(reason: string): Promise<number> {
    running ??= (async () => {
      options.logger.info({ reason }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          options.logger.error({ deadlineMs: options.deadlineMs }, 'shutdown deadline passed');
          resolve(1);
        }, options.deadlineMs);
      });
      const ordered = (async () => {
        let code = 0;
        for (const step of steps) {
          try {
            await step.stop();
          } catch (err) {
            code = 1;
            options.logger.error({ err, step: step.name }, 'stop step failed');
          }
        }
        return code;
      })();
      const code = await Promise.race([ordered, deadline]);
      clearTimeout(timer);
      options.logger.info({ code }, 'stopped');
      return code;
    })();
    return running;
  };
}

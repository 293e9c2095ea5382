import { LOG_REDACT_PATHS, redactSecrets } from '@pingback/security';
import pino, { type Logger } from 'pino';

export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    // Credentials never reach a log line (CONTRACT §3); one list, kept beside the other secret handling.
    redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' },
    // And a secret that turns up where no path expects it (a `whsec_…` in a URL's query, an error message) is
    // masked by its shape, in the finished line: message, fields, bindings and error stacks alike.
    hooks: { streamWrite: redactSecrets },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

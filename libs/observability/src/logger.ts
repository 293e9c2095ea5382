import { LOG_REDACT_PATHS } from '@pingback/security';
import pino, { type Logger } from 'pino';

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    // Credentials never reach a log line (CONTRACT §3); one list, kept beside the other secret handling.
    redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };

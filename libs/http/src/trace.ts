import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      traceId: string;
      log: Logger;
    }
  }
}

export const TRACE_HEADER = 'x-trace-id';
const TRACE_ID_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Takes a caller's trace id when it is well-formed, or makes one; every log line of the request carries it. */
export function traceMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(TRACE_HEADER);
    req.traceId = incoming && TRACE_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ traceId: req.traceId });
    res.set(TRACE_HEADER, req.traceId);
    next();
  };
}

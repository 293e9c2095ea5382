import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { AppError } from './app-error';

/** A Prisma client, or anything with its interactive `$transaction(work, options)`. */
type TransactionalClient = { $transaction: (...args: never[]) => unknown };

const caller = new AsyncLocalStorage<{ gone: () => boolean }>();

/**
 * Notes when the gateway stops waiting for this request (its time-out closed the connection). Must come after
 * the body parser: the request stream's events would not carry the context on.
 */
export const watchCaller: RequestHandler = (req, res, next) => {
  let closedEarly = false;
  res.once('close', () => {
    closedEarly = !res.writableFinished;
  });
  caller.run({ gone: () => closedEarly || req.socket.destroyed }, next);
};

/**
 * The routes' database: a transaction whose caller has gone by the time its work is done is rolled back rather
 * than committed. The gateway has answered that caller 503 already, and a 503 must mean nothing was recorded, or
 * a client that retries would open a second run or count a ping twice. (A caller that goes in the moment
 * between this check and the commit is the one case left; the gateway's time-out is far longer than a ping.)
 */
export function rollBackWhenCallerGone<Db extends TransactionalClient>(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== '$transaction') return Reflect.get(target, property, receiver) as unknown;
      return (work: unknown, options?: unknown) => {
        const transaction = target.$transaction.bind(target) as (work: unknown, options?: unknown) => Promise<unknown>;
        if (typeof work !== 'function') return transaction(work, options);
        return transaction(async (tx: unknown) => {
          const result: unknown = await (work as (tx: unknown) => Promise<unknown>)(tx);
          if (caller.getStore()?.gone()) throw new AppError('service_unavailable', 'the caller stopped waiting: nothing was recorded');
          return result;
        }, options);
      };
    },
  });
}

import type { AppError } from '@pingback/http';
import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';

/** CONTRACT §3: each family of routes has its own credential. */
export type FamilyName = 'dashboard' | 'public' | 'channel-token' | 'respond-link' | 'inbox-link' | 'approval-link' | 'path-secret' | 'seed-002' | 'management' | 'admin';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteEntry {
  method: Method;
  path: string;
  /** A GET that HEAD must not run (express would run it for HEAD): HEAD there is 405. */
  noHead?: true;
}

/** `'/api/channels/:id/destinations/:destId'` → `'id' | 'destId'`. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
type Handler<P extends string> = RequestHandler<{ [K in ParamNames<P>]: string }>;
type AddRoute = <P extends string>(path: P, ...handlers: Handler<P>[]) => RouteFamily;

/**
 * Routes that share one credential. The family's guard runs inside each of its routes, never as
 * `router.use(prefix, guard)`: a request for another family's route, or for no route at all, passes this
 * family's router untouched, so the order in which families are mounted cannot change who gets in.
 */
export interface RouteFamily {
  readonly name: FamilyName;
  readonly router: Router;
  readonly routes: readonly RouteEntry[];
  /** What someone else's object answers in this family: 404 in most, 403 in seed 002's (CONTRACT §3). */
  foreign(what: string): AppError;
  get: AddRoute;
  /** A GET whose answer is handed out once: HEAD must not run it, so HEAD gets 405 with `Allow: GET`. */
  getWithoutHead: AddRoute;
  post: AddRoute;
  put: AddRoute;
  patch: AddRoute;
  delete: AddRoute;
}

export interface FamilyOptions {
  /** Runs before every route's own handlers: authentication and body parsing, in the order given. */
  guard: RequestHandler[];
  foreign: (what: string) => AppError;
  /** Handles errors of this family's routes before the app's JSON error handler (pages for browser links). */
  onError?: ErrorRequestHandler;
}

export function createRouteFamily(name: FamilyName, options: FamilyOptions): RouteFamily {
  const router = Router();
  const routes: RouteEntry[] = [];
  const tail = options.onError ? [options.onError] : [];
  const add =
    (method: Method): AddRoute =>
    (path, ...handlers) => {
      routes.push({ method, path });
      router[method](path, ...options.guard, ...(handlers as RequestHandler[]), ...tail);
      return family;
    };
  // express answers HEAD with the GET route; passing HEAD on leaves it to methodNotAllowed, which then says 405.
  const skipHead: RequestHandler = (req, _res, next) => (req.method === 'HEAD' ? next('route') : next());
  const getWithoutHead: AddRoute = (path, ...handlers) => {
    routes.push({ method: 'get', path, noHead: true });
    router.get(path, skipHead, ...options.guard, ...(handlers as RequestHandler[]), ...tail);
    // express's own OPTIONS answer would list HEAD, which the GET above no longer serves.
    router.options(path, (_req, res) => {
      const allow = [...new Set(routes.filter((route) => route.path === path).map((route) => route.method.toUpperCase()))].join(', ');
      res.set('Allow', allow).type('text/plain').send(allow);
    });
    return family;
  };
  const family: RouteFamily = {
    name,
    router,
    routes,
    foreign: options.foreign,
    get: add('get'),
    getWithoutHead,
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
  };
  return family;
}

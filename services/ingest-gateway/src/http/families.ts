import { DomainError } from '@pingback/contracts';
import { AppError, jsonBody, notFound, validationFailed } from '@pingback/http';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Keyring } from '@pingback/security';
import { adminAuth } from '../auth/admin-auth';
import type { ApiKeyDeps } from '../auth/api-key';
import { channelTokenAuth } from '../auth/channel-token';
import { managementAuth } from '../auth/management-auth';
import { seed002Auth } from '../auth/seed-002-auth';
import { signedLinkAuth } from '../auth/signed-link';
import type { ChannelCache } from '../cache/channel-cache';
import type { CredentialFailures } from '../cache/credential-failures';
import { linkErrorPage } from '../pages/link-error-page';
import { createRouteFamily, type RouteFamily } from './route-family';

/** One place per family for how it authenticates and what a foreign object answers (CONTRACT §3). */

interface Throttled {
  credentialFailures: CredentialFailures;
}

const forbidden = (what: string) => new AppError('forbidden', `access denied to this ${what}`);

/** No credential: the OpenAPI document and other public reads. */
export const publicRouter = (): RouteFamily => createRouteFamily('public', { guard: [], foreign: notFound });

/** `/v1/send/{token}`, `/v1/callback/{token}/{msg_id}`: the channel token in the path. */
export const channelTokenRouter = (deps: Throttled & { channelLookup: Pick<ChannelCache, 'findByTokenHash'>; keyring: Keyring }): RouteFamily =>
  createRouteFamily('channel-token', { guard: [channelTokenAuth(deps)], foreign: notFound });

/** `/r/{respond_token}`: the link is the credential; people get pages, JSON callers JSON. */
export const respondLinkRouter = (deps: Throttled & { keyring: Keyring }): RouteFamily =>
  createRouteFamily('respond-link', { guard: [signedLinkAuth(deps, 'respond-link', 'respond-link')], foreign: notFound, onError: linkErrorPage });

/** `/inbox/{inbox_token}`: the link is the credential. */
export const inboxLinkRouter = (deps: Throttled & { keyring: Keyring }): RouteFamily =>
  createRouteFamily('inbox-link', { guard: [signedLinkAuth(deps, 'inbox-link', 'inbox-link')], foreign: notFound, onError: linkErrorPage });

/** `/a/{approval_token}`: a reviewer's decision link (one approval, one reviewer, one decision); the link is the credential. */
export const approvalLinkRouter = (deps: Throttled & { keyring: Keyring }): RouteFamily =>
  createRouteFamily('approval-link', { guard: [signedLinkAuth(deps, 'approval-link', 'approval-link')], foreign: notFound, onError: linkErrorPage });

/** Seed 004's routes answer `validation_failed` as 422, every other route as 400 (CONTRACT §4). */
const seed004Validation: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof ZodError) return next(validationFailed(err, 422));
  if (err instanceof DomainError && err.code === 'validation_failed') return next(Object.assign(AppError.from(err), { status: 422 }));
  next(err);
};

/** A secret in the path and nothing else (Telegram's webhook): the route checks the secret. */
export const pathSecretRouter = (): RouteFamily => createRouteFamily('path-secret', { guard: [], foreign: notFound });

/** `/api/webhooks/{inviteCode}/{secret}` (seed 004): the route checks the secret and answers seed 004's codes. */
export const roomFireRouter = (options: { bodyLimitBytes: number }): RouteFamily =>
  createRouteFamily('path-secret', { guard: [jsonBody(options.bodyLimitBytes)], foreign: notFound, onError: seed004Validation });

/**
 * Seed 002's routes: the API key as `?key=`, a `"key"` JSON body field, Bearer or an `access_token` cookie;
 * someone else's object is `403 forbidden`. The body is read first because it may hold the key. Pings keep a body
 * that is not JSON as `{ [keepTextAs]: text }`.
 */
export const seed002Router = (deps: Throttled & ApiKeyDeps, options: { bodyLimitBytes: number; keepTextAs?: string }): RouteFamily =>
  createRouteFamily('seed-002', {
    guard: [jsonBody(options.bodyLimitBytes, options.keepTextAs ? { keepTextAs: options.keepTextAs } : {}), seed002Auth(deps)],
    foreign: forbidden,
  });

/** The management API: `Authorization: Bearer <API key>` only; someone else's object is `404 not_found`. */
export const managementRouter = (deps: Throttled & ApiKeyDeps): RouteFamily =>
  createRouteFamily('management', { guard: [managementAuth(deps), jsonBody(64 * 1024)], foreign: notFound });

/** `/api/rooms…` (seed 004's management routes): the management API's credential, seed 004's 422. */
export const roomManagementRouter = (deps: Throttled & ApiKeyDeps): RouteFamily =>
  createRouteFamily('management', { guard: [managementAuth(deps), jsonBody(64 * 1024)], foreign: notFound, onError: seed004Validation });

/** `/admin/…`: the admin key as Bearer. */
export const adminRouter = (deps: Throttled & { adminKey: string }): RouteFamily =>
  createRouteFamily('admin', { guard: [adminAuth(deps), jsonBody(16 * 1024)], foreign: notFound });

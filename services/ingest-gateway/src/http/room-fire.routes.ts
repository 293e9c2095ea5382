import { DomainError } from '@pingback/contracts';
import { AppError } from '@pingback/http';
import type { Response } from 'express';
import { refuseCredential } from '../auth/refuse-credential';
import type { CredentialFailures } from '../cache/credential-failures';
import { fireWebhook, type FireOutcome } from '../domain/rooms/fire-webhook';
import type { RoomDeps } from '../domain/rooms/room-deps';
import { roomFireRouter } from './families';
import type { RouteFamily } from './route-family';

/**
 * A fire body: four short fields and `data` (≤ 16 KiB as compact UTF-8 JSON). A client that escapes every
 * non-ASCII character (Python's json.dumps does) writes up to six bytes for one, hence the room above that.
 */
const FIRE_BODY_BYTES = 128 * 1024;

const answer = (res: Response, outcome: FireOutcome) => {
  if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(200).json(outcome.body);
};

/**
 * Seed 004's fire URL: `GET | POST /api/webhooks/{inviteCode}/{secret}`; the secret in the path is the
 * credential. A wrong code or secret is counted against the caller's address like any failed credential.
 */
export function roomFireRoutes(deps: RoomDeps & { credentialFailures: CredentialFailures }): RouteFamily {
  const routes = roomFireRouter({ bodyLimitBytes: FIRE_BODY_BYTES });
  const fire = (method: 'GET' | 'POST') => async (req: Parameters<Parameters<RouteFamily['get']>[1]>[0], res: Response) => {
    const params = req.params as { inviteCode: string; secret: string };
    const call = { inviteCode: params.inviteCode, secret: params.secret, body: method === 'POST' ? req.body : undefined, idempotencyKey: req.get('idempotency-key'), webhookIdHeader: req.get('webhook-id') };
    try {
      answer(res, await fireWebhook(deps, call, req.traceId));
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'room_not_found' || error.code === 'invalid_secret')) {
        await refuseCredential(deps.credentialFailures, 'path-secret', req, AppError.from(error));
      }
      throw error;
    }
  };
  // Not HEAD: a link checker's HEAD must not fire the room.
  routes.getWithoutHead('/api/webhooks/:inviteCode/:secret', fire('GET'));
  routes.post('/api/webhooks/:inviteCode/:secret', fire('POST'));
  return routes;
}

import { DomainError } from '@pingback/contracts';
import { assertUrlSafe, UnsafeUrlError } from '@pingback/security';
import type { TrackerDeps } from '../../tracker-deps';

/**
 * A workflow's events_url is a registered URL (CONTRACT §6): checked when it is set, every address its host
 * resolves to included (422 unsafe_url with the reason); webhook-deliverer checks each connection again.
 */
export async function checkEventsUrl(deps: Pick<TrackerDeps, 'allowPrivateTargets' | 'resolver'>, url: string | null): Promise<string | null> {
  if (url === null) return null;
  try {
    await assertUrlSafe(url, { allowPrivate: deps.allowPrivateTargets, ...(deps.resolver ? { resolver: deps.resolver } : {}) });
    return url;
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new DomainError('unsafe_url', `events_url: ${err.message}`, { reason: err.reason, field: 'events_url' });
    throw err;
  }
}

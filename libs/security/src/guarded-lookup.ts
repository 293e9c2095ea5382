import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { checkResolvedAddress, systemResolver, type Resolver, type TargetPolicy } from './ssrf';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type GuardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for net/http/https that checks every address the name resolves to, at connect time, and refuses
 * the connection when any is unsafe (so a name that flips to an internal address after registration, DNS
 * rebinding, is caught). The refusal is the UnsafeUrlError itself.
 */
export function createGuardedLookup({ allowPrivate, resolver = systemResolver }: TargetPolicy & { resolver?: Resolver }): GuardedLookup {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (resolved) => {
        try {
          for (const address of resolved) checkResolvedAddress(address, { allowPrivate });
        } catch (err) {
          callback(err as NodeJS.ErrnoException, options.all ? [] : '');
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const entries = resolved
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => entry.family !== 0 && (wanted === undefined || entry.family === wanted));
        const [first] = entries;
        if (first === undefined) {
          callback(notFound(hostname), options.all ? [] : '');
        } else if (options.all) {
          callback(null, entries);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: unknown) => callback(err instanceof Error ? err : notFound(hostname), options.all ? [] : ''),
    );
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

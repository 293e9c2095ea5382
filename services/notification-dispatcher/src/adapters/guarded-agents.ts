import http from 'node:http';
import https from 'node:https';
import { createGuardedLookup, type OutgoingAgents, type Resolver, type TargetPolicy } from '@pingback/security';

export interface GuardedAgentOptions extends TargetPolicy {
  /** Resolves host names (default: the system resolver); tests inject one so no real name is resolved. */
  resolver?: Resolver;
  /** Open connections per origin at most; more requests wait for one to be free. */
  maxSocketsPerOrigin?: number;
}

/**
 * Keep-alive agents for a library that takes an `agent` but does its own requests (users' URLs: Slack, Discord,
 * web push). Every new socket resolves through the guarded lookup, so each connection is made only to addresses
 * that pass the check at connect time (a name that rebinds to an internal address is caught).
 *
 * Node never calls `lookup` for a literal IP in the URL: check the URL itself first (checkUrlSyntax, or
 * safePost which does), or a literal private address would be connected to.
 */
export function createGuardedAgents({ allowPrivate, resolver, maxSocketsPerOrigin = 64 }: GuardedAgentOptions): OutgoingAgents {
  const lookup = createGuardedLookup({ allowPrivate, resolver });
  // Idle sockets close after 4 s, before the common 5 s server keep-alive, so the receiver never closes one under us.
  const settings = { keepAlive: true, maxSockets: maxSocketsPerOrigin, maxFreeSockets: 16, timeout: 4_000, scheduling: 'lifo' as const, lookup };
  return { http: new http.Agent(settings), https: new https.Agent(settings) };
}

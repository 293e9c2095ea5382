import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export interface OutgoingAgents {
  http: http.Agent;
  https: https.Agent;
}

export interface OutgoingAgentOptions {
  /** Open connections per origin at most; more requests wait for one to be free. */
  maxSocketsPerOrigin?: number;
  /**
   * How long an idle connection is kept. Below the common server keep-alive (Node's 5 s), so we close an idle
   * connection before the receiver does; Node also honours a shorter `Keep-Alive: timeout` from the receiver.
   */
  idleTimeoutMs?: number;
  /** Called for each new TCP connection once it is open (the work budget counts them). */
  onConnection?: () => void;
}

/**
 * Keep-alive agents for outgoing POSTs to users' URLs: Node keeps a pool of connections per origin (host and
 * port). They add no address check of their own: safePost gives each request the guarded lookup, and Node
 * calls it for every new socket, so a connection is only ever opened to an address that passed.
 */
export function createOutgoingAgents(options: OutgoingAgentOptions = {}): OutgoingAgents {
  const settings = { keepAlive: true, maxSockets: options.maxSocketsPerOrigin ?? 64, maxFreeSockets: 16, timeout: options.idleTimeoutMs ?? 4_000, scheduling: 'lifo' as const };
  const onConnection = options.onConnection;
  // Counted on 'connect', not when the socket is made: a socket the guarded lookup refuses never connects.
  const counted = <S extends Duplex | null | undefined>(socket: S): S => {
    if (onConnection) socket?.once('connect', onConnection);
    return socket;
  };
  class CountingHttpAgent extends http.Agent {
    override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
      return counted(super.createConnection(...args));
    }
  }
  class CountingHttpsAgent extends https.Agent {
    override createConnection(...args: Parameters<https.Agent['createConnection']>): ReturnType<https.Agent['createConnection']> {
      return counted(super.createConnection(...args));
    }
  }
  return { http: new CountingHttpAgent(settings), https: new CountingHttpsAgent(settings) };
}

/**
 * A public route that the gateway authenticates and forwards as it is to the service that owns it (workflow-tracker,
 * approval-service): `<prefix>` + the public path, the query without the key, the JSON body without its `"key"`,
 * the caller's account in FORWARDED_ACCOUNT_HEADER. The owner's answer (status and body) goes back unchanged. One
 * list per owner, so the gateway forwards exactly what the owner serves.
 */
export interface ForwardedRoute {
  methods: readonly ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[];
  path: string;
  /**
   * A ping: its GET records something, so HEAD (link checkers, mail scanners) must not run it, and a body that is
   * not JSON (a job's output) is kept as `{"text": …}` rather than refused.
   */
  ping?: true;
  /**
   * `management`: the management API's credential (Bearer only) and `404` for another account's object
   * (CONTRACT §3, "every other /api/…"). Otherwise seed 002's: the key in any of its four places, `403`.
   */
  family?: 'management';
}

/** The account the gateway authenticated; the owner answers 403 (or 404) for another account's object. */
export const FORWARDED_ACCOUNT_HEADER = 'x-pingback-account';

/** The name of the API key the request came with (an API decision's `decided_by`), URL-encoded. */
export const FORWARDED_KEY_NAME_HEADER = 'x-pingback-key-name';

/** How long the caller asked the owner to hold the request (`?wait=`), which the gateway's time-out adds to. */
export const FORWARDED_WAIT_QUERY = 'wait';

/** CONTRACT.md §4: every error body is `{ error, message, ...details }` with one of these codes. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  room_not_found: 404,
  invalid_secret: 403,
  webhook_disabled: 403,
  already_responded: 409,
  last_api_key: 409,
  destination_limit_reached: 409,
  endpoint_limit_reached: 409,
  /** A fifth incoming webhook on a room (seed 004: at most four, one per quick action). */
  webhook_limit_reached: 409,
  room_limit_reached: 409,
  member_limit_reached: 409,
  /** A resend to an endpoint that was switched off, before its owner switches it on again. */
  endpoint_disabled: 409,
  /** A resend of a delivery that has not failed (it is pending, retrying or delivered). */
  not_resendable: 409,
  /** Seed 002: a chosen public id (workflow, process hook, heartbeat ids are global: they are in ping URLs) that any account already uses. */
  id_taken: 409,
  /** A process hook's finish ping when the hook has no open run to finish. */
  no_running_process: 409,
  link_expired: 410,
  stage_missed: 400,
  out_of_order: 409,
  /** A stage ping (not a start) for a workflow with no running instance: it never ran, or its last run ended. */
  no_running_instance: 409,
  /** A stage ping for an instance a budget paused (circuit breaker `pause` or `approve`): resume it first. */
  instance_paused: 409,
  /** A stage ping for an instance a budget ended (circuit breaker `terminate`, or an approval denied). */
  instance_terminated: 409,
  /** A resume of an instance that is not paused. */
  instance_not_paused: 409,
  /** A workflow already has the most replay instances (forks and reruns) running at once. */
  replay_limit_reached: 409,
  already_decided: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsafe_url: 422,
  /** A destination of a kind whose provider this deployment has not configured (APNs key, SMTP server, bot token…). */
  provider_not_configured: 422,
  cooldown_active: 429,
  rate_limited: 429,
  service_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

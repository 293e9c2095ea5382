/**
 * Every route the SDK calls, as the OpenAPI document (`/openapi.json`) names it: a test checks each one against the
 * document the gateway serves, so the SDK cannot call a route the API does not have.
 */
export const SDK_ROUTES = {
  send: { method: 'POST', path: '/v1/send/{token}' },
  poll: { method: 'GET', path: '/v1/callback/{token}/{messageId}' },
  createApproval: { method: 'POST', path: '/api/approvals' },
  getApproval: { method: 'GET', path: '/api/approvals/{approvalId}' },
  decideApproval: { method: 'POST', path: '/api/approvals/{approvalId}/decide' },
  pingStage: { method: 'POST', path: '/dhk/{workflowId}' },
  timeline: { method: 'GET', path: '/api/instances/{instanceId}/timeline' },
  listMessages: { method: 'GET', path: '/api/messages' },
} as const;

export type SdkRoute = (typeof SDK_ROUTES)[keyof typeof SDK_ROUTES];

/** A route's path with its `{parameters}` filled in, each encoded. */
export function fillPath(route: SdkRoute, parameters: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`${route.path} needs ${name}`);
    // Encoded, `.` and `..` stay as they are and would name another route.
    if (value === '.' || value === '..' || value === '') throw new Error(`${name} "${value}" is not an id`);
    return encodeURIComponent(value);
  });
}

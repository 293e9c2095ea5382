/**
 * Seed 002's routes, which the gateway authenticates (the API key in any of the seed's four places) and forwards
 * to workflow-tracker's internal port as they are: `/internal/tracker` + the public path, the query without the
 * key, the JSON body without its `"key"`, and the caller's account in ACCOUNT_HEADER. The tracker's answer (status
 * and body) goes back unchanged. One list, so the gateway forwards exactly what the tracker serves.
 */
export const TRACKER_PREFIX = '/internal/tracker';

/** The account the gateway authenticated; the tracker answers 403 for another account's object. */
export const TRACKER_ACCOUNT_HEADER = 'x-pingback-account';

export interface TrackerRoute {
  methods: readonly ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[];
  path: string;
  /**
   * A ping: its GET records something, so HEAD (link checkers, mail scanners) must not run it, and a body that is
   * not JSON (a job's output) is kept as `{"text": …}` rather than refused.
   */
  ping?: true;
}

const PING = ['GET', 'POST'] as const;
const READ = ['GET'] as const;
const COLLECTION = ['GET', 'POST'] as const;
const ITEM = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;
const ACTION = ['POST'] as const;

export const TRACKER_ROUTES = {
  staticPing: { methods: PING, path: '/shk/:workflowId', ping: true },
  dynamicPing: { methods: PING, path: '/dhk/:workflowId', ping: true },
  dynamicTree: { methods: READ, path: '/dhk/:workflowId/tree' },
  processStart: { methods: PING, path: '/phk/:hookId/start', ping: true },
  processFinish: { methods: PING, path: '/phk/:hookId/finish', ping: true },
  heartbeat: { methods: PING, path: '/hbk/:monitorId', ping: true },
  heartbeatAlias: { methods: PING, path: '/hhk/:monitorId', ping: true },

  workflows: { methods: COLLECTION, path: '/api/workflows' },
  workflow: { methods: ITEM, path: '/api/workflows/:workflowId' },
  workflowInstances: { methods: READ, path: '/api/workflows/:workflowId/instances' },
  workflowFailedPings: { methods: READ, path: '/api/workflows/:workflowId/failed-pings' },
  instance: { methods: READ, path: '/api/instances/:instanceId' },

  processHooks: { methods: COLLECTION, path: '/api/process-hooks' },
  processHook: { methods: ITEM, path: '/api/process-hooks/:hookId' },
  processRuns: { methods: READ, path: '/api/process-hooks/:hookId/runs' },

  monitors: { methods: COLLECTION, path: '/api/heartbeats' },
  monitor: { methods: ITEM, path: '/api/heartbeats/:monitorId' },
  monitorPings: { methods: READ, path: '/api/heartbeats/:monitorId/pings' },
  monitorPause: { methods: ACTION, path: '/api/heartbeats/:monitorId/pause' },
  monitorResume: { methods: ACTION, path: '/api/heartbeats/:monitorId/resume' },

  alerts: { methods: READ, path: '/api/alerts' },
  alertAcknowledge: { methods: ACTION, path: '/api/alerts/:alertId/acknowledge' },
} as const satisfies Record<string, TrackerRoute>;

import type { ForwardedRoute } from './forwarded-route';

/** Seed 002's monitoring routes, forwarded by the gateway to workflow-tracker's internal port (ForwardedRoute). */
export const TRACKER_PREFIX = '/internal/tracker';

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
  workflowCost: { methods: READ, path: '/api/workflows/:workflowId/cost' },
  workflowBudget: { methods: ['GET', 'PUT'], path: '/api/workflows/:workflowId/budget' },
  workflowCostAlerts: { methods: READ, path: '/api/workflows/:workflowId/cost-alerts' },
  instancesCompare: { methods: ACTION, path: '/api/instances/compare' },
  instanceTimeline: { methods: READ, path: '/api/instances/:instanceId/timeline' },
  instanceFork: { methods: ACTION, path: '/api/instances/:instanceId/fork' },
  instanceRerun: { methods: ACTION, path: '/api/instances/:instanceId/rerun' },
  instanceCost: { methods: READ, path: '/api/instances/:instanceId/cost' },
  instanceResume: { methods: ACTION, path: '/api/instances/:instanceId/resume' },
  modelPrices: { methods: ['GET', 'PUT'], path: '/api/model-prices', family: 'management' },
  modelPrice: { methods: ['DELETE'], path: '/api/model-prices/:modelId', family: 'management' },

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
} as const satisfies Record<string, ForwardedRoute>;

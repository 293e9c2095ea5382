import {
  AlertList,
  AlertView,
  BudgetRequest,
  BudgetView,
  CompareRequest,
  ComparisonView,
  CostAlertList,
  CreateHookRequest,
  CreateMonitorRequest,
  CreateWorkflowRequest,
  DynamicPingAnswer,
  FailedPingList,
  ForkAnswer,
  ForkRequest,
  HeartbeatAnswer,
  HeartbeatPingBody,
  InstanceCostView,
  InstanceResumed,
  ModelPriceList,
  ModelPricesRequest,
  MonitorList,
  MonitorPingList,
  MonitorView,
  PatchHookRequest,
  PatchMonitorRequest,
  ProcessFinishBody,
  ProcessFinished,
  ProcessHookList,
  ProcessHookView,
  ProcessRunList,
  ProcessStartBody,
  ProcessStarted,
  ReplaceHookRequest,
  ReplaceMonitorRequest,
  RerunAnswer,
  RerunRequest,
  SingleInstanceView,
  StagePingBody,
  StageTree,
  StaticPingAnswer,
  TimelineView,
  TRACKER_ROUTES,
  UpdateWorkflowRequest,
  WorkflowCostView,
  WorkflowInstances,
  WorkflowList,
  WorkflowView,
  type ForwardedRoute,
} from '@pingback/contracts';
import type { z } from 'zod';
import { body, error, header, managed, ok, optionalBody, pathParameters, query, toOpenApiPath } from './openapi-helpers';

/** Seed 002's credential: the API key as `?key=`, a `"key"` in the JSON body, Bearer, or an `access_token` cookie. */
const seed002 = { security: [{ apiKey: [] }, { keyQuery: [] }, { accessTokenCookie: [] }] };
const seed002Errors = {
  400: error('invalid_json or validation_failed'),
  401: error('unauthorized'),
  403: error("forbidden: another account's object"),
  404: error('not_found'),
  429: error('rate_limited (Retry-After)'),
  503: error('service_unavailable'),
};

const SUMMARIES: Record<keyof typeof TRACKER_ROUTES, string> = {
  staticPing: 'Execute a stage of a static workflow (seed 002); stage=1 starts a new instance',
  dynamicPing: 'Execute a stage of a dynamic workflow (seed 002); start=yes creates the workflow and a new instance',
  dynamicTree: "A dynamic workflow's stages and their status (seed 002)",
  processStart: 'Start a process run (seed 002); answers its run_id',
  processFinish: 'Finish a process run (seed 002): by run_id, or the oldest open run',
  heartbeat: 'A heartbeat (pulse) ping (seed 002); status=fail or a non-zero exit code alerts at once',
  heartbeatAlias: "The heartbeat ping under seed 002's cron recipe path",
  workflows: "The account's workflows, or create one",
  workflow: 'A workflow: read, update, delete',
  workflowInstances: 'The running instance and the last 10 finished ones, with their stages (seed 002)',
  workflowFailedPings: 'Stage pings refused by strict mode, newest first',
  instance: 'One instance of a workflow, with its stages',
  workflowCost: "A workflow's LLM cost over the past N days, with today's, the average per instance and the cost by agent",
  workflowBudget: "A workflow's budget and circuit breaker: read, or set (PUT replaces it)",
  workflowCostAlerts: "A workflow's cost alerts and circuit breaker events, newest first",
  instancesCompare: 'Compare two instances: aggregates, the first differing step, the differences (b minus a)',
  instanceTimeline: "An instance's steps in order, with each step's model, tokens, cost and payload (time-travel replay)",
  instanceFork: 'Fork an instance from a stage, with payload modifications: a new instance with the steps up to it (201)',
  instanceRerun: 'Re-run an instance from the beginning: a new, empty instance (201)',
  instanceCost: "An instance's cost, step by step",
  instanceResume: 'Resume an instance a budget paused',
  modelPrices: "The model price table (USD per million tokens): the shipped entries and the account's own; PUT sets the account's",
  modelPrice: "Delete the account's own price of a model (the shipped one, if any, applies again)",
  processHooks: "The account's process hooks, or create one",
  processHook: 'A process hook: read, update, delete',
  processRuns: "A process hook's runs, newest first",
  monitors: "The account's heartbeat monitors, or create one",
  monitor: 'A heartbeat monitor: read, update, delete',
  monitorPings: "A monitor's last pings and their metadata, newest first",
  monitorPause: 'Pause a monitor: no clock, no alerts',
  monitorResume: 'Resume a paused monitor',
  alerts: "The account's alerts, newest first",
  alertAcknowledge: 'Acknowledge an alert (as answering its message does): its repeats stop',
};

const PING_QUERY: Partial<Record<keyof typeof TRACKER_ROUTES, ReturnType<typeof query>[]>> = {
  staticPing: [
    query('stage', 'the stage number, 1, 2, 3…'),
    query('agent', 'the agent handing over (required in strict mode)'),
    query('instance_id', 'a fork or re-run to record the stage in (also in the JSON body)'),
  ],
  dynamicPing: [
    query('stagePath', 'the stage path: 1, 2.1, 3.4.2 (also as stage)'),
    query('start', 'yes: create the workflow if new, and a new instance'),
    query('final', 'yes: this stage completes the instance'),
    query('stagename', "the stage's label"),
    query('agent', 'the agent handing over (required in strict mode)'),
    query('instance_id', 'a fork or re-run to record the stage in (also in the JSON body)'),
  ],
  workflowCost: [query('days', 'how many days back, 1 to 365 (default 7)')],
  workflowCostAlerts: [query('limit', 'at most this many, 1 to 200 (default 50)'), query('include_resolved', 'true: resolved alerts too (default false)')],
  processStart: [query('agent', 'who runs it')],
  processFinish: [query('run_id', 'the run to finish (default: the oldest open run)'), query('agent', 'who ran it')],
  heartbeat: [query('status', 'ok, success or 0: good; fail, failure or a non-zero exit code: a failure')],
  heartbeatAlias: [query('status', 'ok, success or 0: good; fail, failure or a non-zero exit code: a failure')],
};

/** What one method of a forwarded route takes and answers: its JSON body (if any) and its 2xx (204: no content). */
export interface ForwardedOperation {
  request?: z.ZodType;
  /** A ping's body: optional (a GET has none). */
  optionalRequest?: true;
  status?: 200 | 201 | 202;
  response: z.ZodType | 204;
  headers?: ReturnType<typeof header>[];
}
type Method = ForwardedRoute['methods'][number];
export type ForwardedOperations<R> = Record<keyof R, Partial<Record<Method, ForwardedOperation>>>;

const get = (response: z.ZodType) => ({ GET: { response } });
const action = (response: z.ZodType) => ({ POST: { response } });
const removed = { DELETE: { response: 204 as const } };
const ping = (response: z.ZodType, request: z.ZodType) => ({ GET: { response }, POST: { response, request, optionalRequest: true as const } });

const OPERATIONS: ForwardedOperations<typeof TRACKER_ROUTES> = {
  staticPing: ping(StaticPingAnswer, StagePingBody),
  dynamicPing: ping(DynamicPingAnswer, StagePingBody),
  dynamicTree: get(StageTree),
  processStart: ping(ProcessStarted, ProcessStartBody),
  processFinish: ping(ProcessFinished, ProcessFinishBody),
  heartbeat: ping(HeartbeatAnswer, HeartbeatPingBody),
  heartbeatAlias: ping(HeartbeatAnswer, HeartbeatPingBody),
  workflows: { ...get(WorkflowList), POST: { request: CreateWorkflowRequest, status: 201, response: WorkflowView } },
  workflow: { ...get(WorkflowView), PUT: { request: UpdateWorkflowRequest, response: WorkflowView }, PATCH: { request: UpdateWorkflowRequest, response: WorkflowView }, ...removed },
  workflowInstances: get(WorkflowInstances),
  workflowFailedPings: get(FailedPingList),
  instance: get(SingleInstanceView),
  workflowCost: get(WorkflowCostView),
  workflowBudget: { ...get(BudgetView), PUT: { request: BudgetRequest, response: BudgetView } },
  workflowCostAlerts: get(CostAlertList),
  instancesCompare: { POST: { request: CompareRequest, response: ComparisonView } },
  instanceTimeline: get(TimelineView),
  instanceFork: { POST: { request: ForkRequest, status: 201, response: ForkAnswer } },
  instanceRerun: { POST: { request: RerunRequest, status: 201, response: RerunAnswer } },
  instanceCost: get(InstanceCostView),
  instanceResume: action(InstanceResumed),
  modelPrices: { ...get(ModelPriceList), PUT: { request: ModelPricesRequest, response: ModelPriceList } },
  modelPrice: removed,
  processHooks: { ...get(ProcessHookList), POST: { request: CreateHookRequest, status: 201, response: ProcessHookView } },
  processHook: { ...get(ProcessHookView), PUT: { request: ReplaceHookRequest, response: ProcessHookView }, PATCH: { request: PatchHookRequest, response: ProcessHookView }, ...removed },
  processRuns: get(ProcessRunList),
  monitors: { ...get(MonitorList), POST: { request: CreateMonitorRequest, status: 201, response: MonitorView } },
  monitor: { ...get(MonitorView), PUT: { request: ReplaceMonitorRequest, response: MonitorView }, PATCH: { request: PatchMonitorRequest, response: MonitorView }, ...removed },
  monitorPings: get(MonitorPingList),
  monitorPause: action(MonitorView),
  monitorResume: action(MonitorView),
  alerts: get(AlertList),
  alertAcknowledge: action(AlertView),
};

/**
 * Seed 002's routes, forwarded to workflow-tracker, in the OpenAPI document: their parameters, the bodies the
 * tracker validates and the answers it writes (both from the contracts), and their errors.
 */
export const trackerPaths = () => forwardedPaths(TRACKER_ROUTES, SUMMARIES, OPERATIONS, PING_QUERY);

/** The management API's errors, for forwarded routes of the management family. */
const managedErrors = { 400: error('invalid_json or validation_failed'), 401: error('unauthorized'), 404: error('not_found'), 429: error('rate_limited (Retry-After)'), 503: error('service_unavailable') };

function responsesOf(operation: ForwardedOperation) {
  if (operation.response === 204) return { 204: error('deleted') };
  return { [operation.status ?? 200]: ok(operation.response) };
}

/** Routes a service owns and the gateway forwards (ForwardedRoute), with a summary, the operations and query parameters per route. */
export function forwardedPaths<R extends Record<string, ForwardedRoute>>(
  routes: R,
  summaries: Record<keyof R, string>,
  operations: ForwardedOperations<R>,
  queries: Partial<Record<keyof R, ReturnType<typeof query>[]>> = {},
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(routes) as [keyof R, ForwardedRoute][]) {
    const entry: Record<string, unknown> = {};
    const family = route.family === 'management' ? { auth: managed, errors: managedErrors } : { auth: seed002, errors: seed002Errors };
    for (const method of route.methods) {
      const operation = operations[name][method];
      if (!operation) throw new Error(`the OpenAPI document has no operation for ${method} ${route.path}`);
      entry[method.toLowerCase()] = {
        ...family.auth,
        summary: summaries[name],
        parameters: [...pathParameters(route.path), ...(queries[name] ?? []), ...(operation.headers ?? [])],
        ...(operation.request ? { requestBody: operation.optionalRequest ? optionalBody(operation.request) : body(operation.request) } : {}),
        responses: { ...responsesOf(operation), ...family.errors },
      };
    }
    paths[toOpenApiPath(route.path)] = entry;
  }
  return paths;
}

import { envelopeFor, publications, type ApprovalRequested } from '@pingback/contracts';
import { trackerOutbox } from '../../data/durable-tables';
import type { TrackerTx } from '../../data/prisma';
import type { AlertDeps } from '../alerts';
import { pauseInstance, PAUSED_BY_BREAKER, pausedByApproval, terminateInstance } from '../workflows/instance-control';
import type { InstanceStatus } from '../workflows/instance-store';
import type { WorkflowRecord } from '../workflows/workflow-records';
import { passedAnomalyLine } from './anomaly';
import { budgetOf, type Budget } from './budget';
import { recordCostAlert, type BreakerAction, type CostAlertType } from './cost-alerts';
import { formatUsd, formatUsdPair, microsToUsd } from './money';
import { addSpending, crosses, type Spending } from './spending';

export interface CostedPing {
  workflow: WorkflowRecord;
  instanceId: string;
  /** The run's status once the ping's stage is in. */
  status: InstanceStatus;
  agentCode: string | null;
  costMicros: bigint;
  at: Date;
}

export interface BreakerOutcome {
  status: InstanceStatus;
  /** Alerts were written to the outbox: publish it now. */
  alerted: boolean;
}

interface Crossing {
  type: CostAlertType;
  currentMicros: bigint;
  thresholdMicros: bigint;
  message: string;
  agentCode: string | null;
  /** A limit whose crossing takes the budget's action; the others only alert. */
  stops: boolean;
}

/**
 * After a costed ping, in its transaction and under its workflow's lock: the cost is added, and every line of the
 * workflow's budget that this ping crossed (before < line ≤ after) writes a cost alert and tells the alert
 * channels. Crossing the instance limit or the daily limit also takes the budget's action on the run, once, when
 * the ping left it running: `pause`, `terminate`, or `approve` (pause, and ask the account's reviewers). Null when
 * the cost would take a day's total past MAX_TOTAL_MICROS: nothing was charged, and the ping must be refused.
 */
export async function chargePing(tx: TrackerTx, deps: AlertDeps, ping: CostedPing): Promise<BreakerOutcome | null> {
  const spending = await addSpending(tx, { instanceId: ping.instanceId, workflowId: ping.workflow.id, agentCode: ping.agentCode, costMicros: ping.costMicros, at: ping.at });
  if (!spending) return null;
  const budget = await budgetOf(tx, ping.workflow.id);
  if (!budget.enabled) return { status: ping.status, alerted: false };
  const crossings = await crossingsOf(tx, ping, budget, spending);
  if (crossings.length === 0) return { status: ping.status, alerted: false };

  const stopping = budget.action !== 'alert' && ping.status === 'running' && crossings.some((crossing) => crossing.stops);
  const action: BreakerAction = stopping ? budget.action : 'alert';
  let stopAlertNumber: number | null = null;
  for (const crossing of crossings) {
    const id = await recordCostAlert(tx, deps, ping.workflow, {
      type: crossing.type,
      instanceId: ping.instanceId,
      currentMicros: crossing.currentMicros,
      thresholdMicros: crossing.thresholdMicros,
      action: crossing.stops ? action : 'alert',
      message: crossing.message,
      agentCode: crossing.agentCode,
      at: ping.at,
    });
    if (crossing.stops) stopAlertNumber ??= id;
  }
  if (!stopping) return { status: ping.status, alerted: true };
  return { status: await stop(tx, ping, budget, spending, stopAlertNumber!), alerted: true };
}

/** "Instance cost $0.12 exceeds budget limit $0.10" (the seed's words), or "reached" when the cost is the limit exactly. */
function overLine(what: string, cost: bigint, line: bigint, limit: string): string {
  const [shownCost, shownLine] = formatUsdPair(cost, line);
  return `${what} ${shownCost} ${cost === line ? 'reached' : 'exceeds'} ${limit} ${shownLine}`;
}

async function crossingsOf(tx: TrackerTx, ping: CostedPing, budget: Budget, spending: Spending): Promise<Crossing[]> {
  const found: Crossing[] = [];
  const instanceCost = spending.instance.after;
  const instanceLine = (type: CostAlertType, line: bigint, limit: string, stops: boolean): Crossing => ({
    type,
    currentMicros: instanceCost,
    thresholdMicros: line,
    message: overLine('Instance cost', instanceCost, line, limit),
    agentCode: null,
    stops,
  });
  if (crosses(budget.alertThresholdMicros, spending.instance)) found.push(instanceLine('budget_threshold', budget.alertThresholdMicros, 'alert threshold', false));
  if (crosses(budget.limitMicros, spending.instance)) found.push(instanceLine('budget_exceeded', budget.limitMicros, 'budget limit', true));
  if (crosses(budget.dailyLimitMicros, spending.day)) {
    const today = spending.day.after;
    found.push({ type: 'daily_budget_exceeded', currentMicros: today, thresholdMicros: budget.dailyLimitMicros, message: overLine('Workflow cost today', today, budget.dailyLimitMicros, 'daily limit'), agentCode: null, stops: true });
  }
  const agentLine = ping.agentCode ? (budget.agentDailyLimits[ping.agentCode] ?? null) : null;
  if (spending.agent && crosses(agentLine, spending.agent)) {
    const today = spending.agent.after;
    found.push({ type: 'agent_budget_exceeded', currentMicros: today, thresholdMicros: agentLine, message: overLine(`Agent ${ping.agentCode} cost today`, today, agentLine, 'its daily limit'), agentCode: ping.agentCode, stops: false });
  }
  if (budget.anomalyDetection) {
    const anomaly = await passedAnomalyLine(tx, { workflowId: ping.workflow.id, instanceId: ping.instanceId }, budget.anomalyMultiplier, spending.instance);
    if (anomaly) {
      const [shownCost, shownMean] = formatUsdPair(instanceCost, anomaly.meanMicros);
      found.push({
        type: 'cost_anomaly',
        currentMicros: instanceCost,
        thresholdMicros: anomaly.thresholdMicros,
        message: `Instance cost ${shownCost} is over ${budget.anomalyMultiplier}× the average ${shownMean} of the last ${anomaly.runs} completed instances`,
        agentCode: null,
        stops: false,
      });
    }
  }
  return found;
}

/** Takes the budget's stopping action on the running run; returns its new status. */
async function stop(tx: TrackerTx, ping: CostedPing, budget: Budget, spending: Spending, costAlertNumber: number): Promise<InstanceStatus> {
  switch (budget.action) {
    case 'pause':
      await pauseInstance(tx, ping.instanceId, PAUSED_BY_BREAKER);
      return 'paused';
    case 'terminate':
      await terminateInstance(tx, ping.instanceId, `Budget exceeded: ${formatUsd(spending.instance.after)} spent`, ping.at);
      return 'terminated';
    case 'approve': {
      const key = `budget:${ping.instanceId}:${costAlertNumber}`;
      await pauseInstance(tx, ping.instanceId, pausedByApproval(key));
      await trackerOutbox.append(tx, [approvalRequest(ping, budget, spending, key, costAlertNumber)]);
      return 'paused';
    }
    case 'alert':
      return ping.status;
  }
}

function approvalRequest(ping: CostedPing, budget: Budget, spending: Spending, key: string, costAlertNumber: number) {
  const { workflow, instanceId } = ping;
  const payload: ApprovalRequested['payload'] = {
    accountId: workflow.accountId,
    key,
    context:
      `Workflow ${workflow.name} (${workflow.id}): instance ${instanceId} has spent ${formatUsd(spending.instance.after)} ` +
      `(today the workflow has spent ${formatUsd(spending.day.after)}), past its budget. It is paused. Approve to let it go on; deny to terminate it.`,
    timeoutSeconds: budget.approvalTimeoutSeconds,
    timeoutAction: 'deny',
    metadata: { workflow_id: workflow.id, instance_id: instanceId, cost_usd: microsToUsd(spending.instance.after), cost_alert_id: costAlertNumber },
    subject: { service: 'workflow-tracker', kind: 'instance', id: instanceId, ref: key },
  };
  const envelope = envelopeFor(publications.approvalRequested, payload, { id: key, occurredAt: ping.at });
  return { id: envelope.id, publication: publications.approvalRequested.routingKey, envelope };
}

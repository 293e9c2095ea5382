import type { RouteFamily } from '../http/route-family';
import { barChart } from '../pages/dashboard/bar-chart';
import { escapeHtml } from '../pages/escape-html';
import { badge, details, formCard, json, link, postButton, raw, table, usd, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf, formNumber, formText } from './page-context';
import { text, type Page, type Row } from './rows';

const COST_DAYS = 14;
const BUDGET_ACTIONS: Array<[string, string]> = [
  ['alert', 'alert: tell the alert channels and go on'],
  ['pause', 'pause: refuse pings until resumed'],
  ['terminate', 'terminate: end the run'],
  ['approve', 'approve: pause and ask the reviewers'],
];

/** The last `days` UTC dates, oldest first, each with its cost (zero on a day without steps), so gaps show. */
function everyDay(days: number, now: Date, spent: Row[]) {
  const byDate = new Map(spent.map((day) => [text(day.date), Number(day.cost_usd)]));
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { label: date, value: byDate.get(date) ?? 0 };
  });
}

const instanceLink = (id: unknown) => link(`/app/instances/${encodeURIComponent(text(id))}`, id);
const stageList = (statuses: unknown) =>
  raw(
    Object.entries((statuses as Record<string, Row> | null) ?? {})
      .map(([path, stage]) => `${badge(stage.status).markup}&nbsp;${escapeHtml(path)}`)
      .join(' '),
  );

/** Workflows with their instances, dynamic tree, cost (per day and per agent), budget and cost alerts; each run's timeline. */
export function workflowPages(routes: RouteFamily): void {
  routes.get('/app/workflows', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const workflows = accepted(await api<Page>('/api/workflows?limit=100'));
    const list = table(
      ['Workflow', 'Type', 'Mode', 'Ping URL', 'Created'],
      workflows.data.map((w) => [link(`/app/workflows/${encodeURIComponent(text(w.id))}`, w.name), w.type, w.validation_mode, w.ping_url, when(w.created_at)]),
      'No workflows yet: a stage ping to /dhk/<id>?start=yes creates one.',
    );
    send({ title: 'Workflows', section: '/app/workflows', content: list });
  });

  routes.get('/app/workflows/:id', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const id = encodeURIComponent(req.params.id);
    const workflow = accepted(await api(`/api/workflows/${id}`));
    const [instances, cost, budget, alerts, tree] = await Promise.all([
      api(`/api/workflows/${id}/instances`).then(accepted),
      api(`/api/workflows/${id}/cost?days=${COST_DAYS}`).then(accepted),
      api(`/api/workflows/${id}/budget`).then(accepted),
      api<{ alerts: Row[] }>(`/api/workflows/${id}/cost-alerts?limit=20&include_resolved=true`).then(accepted),
      workflow.type === 'dynamic' ? api<Record<string, Row>>(`/dhk/${id}/tree`).then(accepted) : Promise.resolve(null),
    ]);
    const running = instances.running_instance as Row | null;
    const runs = [...(running ? [running] : []), ...((instances.recent_instances as Row[] | undefined) ?? [])];
    const runList = table(
      ['Instance', 'Status', 'Started', 'Stages'],
      runs.map((run) => [instanceLink(run.id), badge(run.status), when(run.started_at), stageList(run.stage_statuses)]),
      'No runs yet.',
    );
    const byDay = everyDay(COST_DAYS, new Date(), (cost.by_day as Row[] | undefined) ?? []);
    const byAgent = ((cost.by_agent as Row[] | undefined) ?? []).map((agent) => ({ label: agent.agent_code === null ? '(no agent)' : text(agent.agent_code), value: Number(agent.cost_usd) }));
    const costSection =
      details([
        [`Cost, last ${COST_DAYS} days`, usd(cost.total_cost_usd)],
        ['Today', usd(cost.today_cost_usd)],
        ['Per instance', usd(cost.average_cost_per_instance_usd)],
        ['Unpriced steps', cost.unpriced_steps],
      ]) +
      barChart('Cost per day (UTC)', byDay, usd) +
      barChart('Cost per agent', byAgent, usd);
    const budgetForm = formCard(`/app/workflows/${id}/budget`, csrf, [
      { name: 'budget_enabled', label: 'Budget', type: 'select', options: [['true', 'on'], ['false', 'off']], value: String(budget.budget_enabled) },
      { name: 'budget_limit_usd', label: 'Limit per instance (USD)', type: 'number', value: text(budget.budget_limit_usd) },
      { name: 'budget_alert_threshold_usd', label: 'Alert threshold per instance (USD)', type: 'number', value: text(budget.budget_alert_threshold_usd) },
      { name: 'budget_daily_limit_usd', label: 'Daily limit for the workflow (USD)', type: 'number', value: text(budget.budget_daily_limit_usd) },
      { name: 'budget_action', label: 'When a limit is crossed', type: 'select', options: BUDGET_ACTIONS, value: text(budget.budget_action) },
    ], 'Save budget');
    const alertList = table(
      ['Alert', 'Instance', 'Cost', 'Line', 'Action', 'When', 'Resolved'],
      alerts.alerts.map((a) => [a.alert_type, a.instance_id ? instanceLink(a.instance_id) : '—', usd(a.current_cost_usd), usd(a.threshold_usd), a.action_taken, when(a.created_at), a.resolved_at ? when(a.resolved_at) : 'no']),
      'No cost alerts.',
    );
    const content =
      details([['Type', workflow.type], ['Ping URL', workflow.ping_url], ['Events URL', workflow.events_url], ['Created', when(workflow.created_at)]]) +
      `<h2>Runs</h2>${runList}` +
      (tree ? `<h2>Dynamic tree</h2>${stageList(tree).markup || '<p class="muted">No stages yet.</p>'}` : '') +
      `<h2>Cost</h2>${costSection}<h2>Budget</h2>${budgetForm}<h2>Cost alerts</h2>${alertList}`;
    send({ title: `Workflow ${text(workflow.name)}`, section: '/app/workflows', content });
  });

  routes.post('/app/workflows/:id/budget', async (req, res) => {
    const { api } = contextOf(req, res);
    const id = encodeURIComponent(req.params.id);
    // PUT replaces the whole budget: what the form does not show (per-agent limits, anomaly detection, the approval
    // time-out) is kept as it is.
    const { workflow_id: _workflowId, updated_at: _updatedAt, ...current } = accepted(await api(`/api/workflows/${id}/budget`));
    const body = {
      ...current,
      budget_enabled: formText(req, 'budget_enabled') === 'true',
      budget_action: formText(req, 'budget_action') ?? 'alert',
      budget_limit_usd: formNumber(req, 'budget_limit_usd') ?? null,
      budget_alert_threshold_usd: formNumber(req, 'budget_alert_threshold_usd') ?? null,
      budget_daily_limit_usd: formNumber(req, 'budget_daily_limit_usd') ?? null,
    };
    await changeThenShow(req, res, { method: 'PUT', path: `/api/workflows/${id}/budget`, body }, `/app/workflows/${id}`);
  });

  routes.get('/app/instances/:id', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const id = encodeURIComponent(req.params.id);
    const from = typeof req.query.from_step === 'string' && /^\d{1,9}$/.test(req.query.from_step) ? `&from_step=${req.query.from_step}` : '';
    const timeline = accepted(await api(`/api/instances/${id}/timeline?limit=200${from}`));
    const steps = (timeline.timeline as Row[] | undefined) ?? [];
    const stepList = table(
      ['Step', 'Stage', 'Status', 'At', 'Agent', 'Model', 'Tokens', 'Cost', 'Total', 'Payload'],
      steps.map((s) => [s.step, s.stage_path, badge(s.status), when(s.executed_at), s.agent_code, s.model_id, s.total_tokens, s.unpriced ? 'unpriced' : usd(s.cost_usd), usd(s.cumulative_cost_usd), raw(json(s.payload))]),
      'No steps yet.',
    );
    const resume = timeline.status === 'paused' ? `<p>${postButton(`/app/instances/${id}/resume`, csrf, 'Resume this run', { tone: 'primary' })}</p>` : '';
    const content =
      details([['Workflow', link(`/app/workflows/${encodeURIComponent(text(timeline.workflow_id))}`, timeline.workflow_id)], ['Status', badge(timeline.status)], ['Steps', timeline.total_steps], ['Cost', usd(timeline.cost_usd)]]) +
      resume +
      `<h2>Timeline</h2>${stepList}` +
      (typeof timeline.next_from_step === 'number' ? `<p>${link(`/app/instances/${id}?from_step=${timeline.next_from_step}`, 'Later steps')}</p>` : '');
    send({ title: `Run ${text(timeline.instance_id)}`, section: '/app/workflows', content });
  });

  routes.post('/app/instances/:id/resume', async (req, res) => {
    const id = encodeURIComponent(req.params.id);
    await changeThenShow(req, res, { method: 'POST', path: `/api/instances/${id}/resume` }, `/app/instances/${id}`);
  });
}

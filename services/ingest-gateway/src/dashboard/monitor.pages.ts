import type { RouteFamily } from '../http/route-family';
import { escapeHtml } from '../pages/escape-html';
import { badge, json, link, postButton, raw, table, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf } from './page-context';
import { text, type Page, type Row } from './rows';

const LAST_PINGS = 5;
/** Last pings are read for this many heartbeats and hooks: one API call each, and a page load must stay cheap. */
const DETAILED = 20;

/** Heartbeats and process hooks with their state and last pings; the alerts they raised, to acknowledge. */
export function monitorPages(routes: RouteFamily): void {
  routes.get('/app/monitors', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const [heartbeats, hooks, alerts] = await Promise.all([
      api<Page>('/api/heartbeats?limit=100').then(accepted),
      api<Page>('/api/process-hooks?limit=100').then(accepted),
      api<Page>('/api/alerts?limit=20').then(accepted),
    ]);
    const [pings, runs] = await Promise.all([
      Promise.all(heartbeats.data.slice(0, DETAILED).map((h) => api<Page>(`/api/heartbeats/${encodeURIComponent(text(h.id))}/pings?limit=${LAST_PINGS}`).then(accepted))),
      Promise.all(hooks.data.slice(0, DETAILED).map((h) => api<Page>(`/api/process-hooks/${encodeURIComponent(text(h.id))}/runs?limit=${LAST_PINGS}`).then(accepted))),
    ]);
    const heartbeatList = table(
      ['Heartbeat', 'State', 'Schedule', 'Last ping', 'Next expected', `Last ${LAST_PINGS} pings`, ''],
      heartbeats.data.map((h, i) => [
        h.name,
        badge(h.paused ? 'paused' : h.state),
        h.cron ? `cron ${text(h.cron)}` : `every ${text(h.interval_seconds)} s (+${text(h.grace_seconds)} s grace)`,
        when(h.last_ping_at),
        when(h.next_expected_at),
        raw(pings[i]?.data.map((p: Row) => badge(p.status).markup).join(' ') ?? ''),
        postButton(`/app/monitors/heartbeats/${encodeURIComponent(text(h.id))}/${h.paused ? 'resume' : 'pause'}`, csrf, h.paused ? 'Resume' : 'Pause'),
      ]),
      'No heartbeats: create one with POST /api/heartbeats, then ping /hbk/<id> from cron (or wrap the job: npx pingback run --heartbeat <id> -- <command>).',
    );
    const hookList = table(
      ['Process hook', 'Longest run', 'Runs (newest first)'],
      hooks.data.map((h, i) => [
        h.name,
        `${text(h.max_duration_seconds)} s`,
        raw(runs[i]?.data.map((r: Row) => `${badge(r.overdue ? 'overdue' : r.status).markup} ${when(r.started_at).toString()}${r.duration_ms !== null ? ` (${escapeHtml(r.duration_ms)} ms)` : ''}`).join('<br>') ?? ''),
      ]),
      'No process hooks: create one with POST /api/process-hooks (or wrap a job: npx pingback run --process <id> -- <command>).',
    );
    const alertList = table(
      ['Alert', 'About', 'When', 'Acknowledged', ''],
      alerts.data.map((a) => [a.title ?? a.event ?? a.type, raw(json(a.subject ?? a.data ?? {})), when(a.created_at), when(a.acknowledged_at), a.acknowledged_at ? '' : postButton(`/app/monitors/alerts/${encodeURIComponent(text(a.id))}/acknowledge`, csrf, 'Acknowledge')]),
      'No alerts.',
    );
    send({ title: 'Heartbeats & process hooks', section: '/app/monitors', content: `<h2>Heartbeats</h2>${heartbeatList}<h2>Process hooks</h2>${hookList}<h2>Alerts</h2>${alertList}<p>${link('/app/workflows', 'Workflows')}</p>` });
  });

  for (const action of ['pause', 'resume'] as const) {
    routes.post(`/app/monitors/heartbeats/:id/${action}`, async (req, res) => {
      await changeThenShow(req, res, { method: 'POST', path: `/api/heartbeats/${encodeURIComponent(req.params.id)}/${action}` }, '/app/monitors');
    });
  }

  routes.post('/app/monitors/alerts/:id/acknowledge', async (req, res) => {
    await changeThenShow(req, res, { method: 'POST', path: `/api/alerts/${encodeURIComponent(req.params.id)}/acknowledge` }, '/app/monitors');
  });
}

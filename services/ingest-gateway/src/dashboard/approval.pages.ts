import type { RouteFamily } from '../http/route-family';
import { escapeHtml } from '../pages/escape-html';
import { badge, formCard, table, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf, formText } from './page-context';
import { text, type Page } from './rows';

/** Approvals: the waiting ones to decide here (as the signed-in key), the decided ones with who and how. */
export function approvalPages(routes: RouteFamily): void {
  routes.get('/app/approvals', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const [waiting, recent] = await Promise.all([api<Page>('/api/approvals?status=pending&limit=100').then(accepted), api<Page>('/api/approvals?limit=50').then(accepted)]);
    const decide = waiting.data
      .map((a) => {
        const action = `/app/approvals/${encodeURIComponent(text(a.approval_id))}/decide`;
        const fields = [
          { name: 'decision', label: 'Decision', type: 'select' as const, options: [['approve', 'Approve'], ['deny', 'Deny']] as Array<[string, string]> },
          { name: 'notes', label: 'Notes (optional)', type: 'textarea' as const },
        ];
        return `<h3>${escapeHtml(a.context)}</h3><p class="muted">Expires ${when(a.expires_at).toString()}; then ${escapeHtml(a.timeout_action)}.</p>${formCard(action, csrf, fields, 'Decide')}`;
      })
      .join('');
    const decided = table(
      ['Approval', 'Status', 'By', 'Via', 'Decided', 'Notes'],
      recent.data.filter((a) => a.status !== 'pending').map((a) => [a.context, badge(a.status), a.decided_by, a.decided_via, when(a.decided_at), a.notes]),
      'None decided yet.',
    );
    send({ title: 'Approvals', section: '/app/approvals', content: `<h2>Waiting (${waiting.data.length})</h2>${decide || '<p class="muted">Nothing is waiting for a decision.</p>'}<h2>Decided</h2>${decided}` });
  });

  routes.post('/app/approvals/:id/decide', async (req, res) => {
    const notes = formText(req, 'notes');
    const body = { decision: formText(req, 'decision') ?? '', ...(notes ? { notes } : {}) };
    await changeThenShow(req, res, { method: 'POST', path: `/api/approvals/${encodeURIComponent(req.params.id)}/decide`, body }, '/app/approvals');
  });
}

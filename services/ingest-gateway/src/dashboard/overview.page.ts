import type { RouteFamily } from '../http/route-family';
import { badge, link, table, when } from '../pages/dashboard/html';
import { accepted, contextOf } from './page-context';
import type { Page, Row } from './rows';

/** The first page after sign-in: what is waiting, what happened last. */
export function overviewPage(routes: RouteFamily): void {
  routes.get('/app', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const [channels, messages, approvals, workflows] = await Promise.all([
      api<Page>('/api/channels?limit=100').then(accepted),
      api<Page>('/api/messages?limit=10').then(accepted),
      api<Page>('/api/approvals?status=pending&limit=100').then(accepted),
      api<Page>('/api/workflows?limit=100').then(accepted),
    ]);
    const counts = `<p>${link('/app/channels', `${channels.data.length}${channels.next_cursor ? '+' : ''} channels`)} · ${link('/app/workflows', `${workflows.data.length}${workflows.next_cursor ? '+' : ''} workflows`)} · ${link('/app/approvals', `${approvals.data.length}${approvals.next_cursor ? '+' : ''} approvals waiting`)}</p>`;
    const recent = table(
      ['Message', 'Priority', 'Status', 'Sent'],
      messages.data.map((m: Row) => [link(`/app/messages/${encodeURIComponent(String(m.id))}`, m.title), m.priority, badge(m.status), when(m.created_at)]),
      'No messages yet: send one from the CLI (npx pingback send --title "Hello") or the API.',
    );
    send({ title: 'Overview', section: '/app', content: `${counts}<h2>Latest messages</h2>${recent}` });
  });
}

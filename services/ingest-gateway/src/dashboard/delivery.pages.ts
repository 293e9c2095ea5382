import type { Request } from 'express';
import type { RouteFamily } from '../http/route-family';
import { escapeHtml } from '../pages/escape-html';
import { badge, details, formCard, json, link, postButton, raw, shownOnce, table, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf, formText } from './page-context';
import { text, type Page, type Row } from './rows';

/** `?cursor=` and the API's filters a list page passes on. */
function passOn(req: Request, names: string[]): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = req.query[name];
    if (typeof value === 'string' && value !== '' && value.length <= 200) params.set(name, value);
  }
  return params.toString();
}

const olderLink = (path: string, req: Request, page: Page, names: string[]) => {
  if (!page.next_cursor) return '';
  const params = new URLSearchParams(passOn(req, names));
  params.set('cursor', page.next_cursor);
  return `<p>${link(`${path}?${params.toString()}`, 'Older')}</p>`;
};

const attemptsTable = (attempts: Row[]) =>
  table(
    ['#', 'Outcome', 'Status code', 'Latency', 'At', 'Error'],
    attempts.map((a) => [a.attempt, badge(a.outcome), a.status_code, a.latency_ms === null || a.latency_ms === undefined ? '—' : `${text(a.latency_ms)} ms`, when(a.at ?? a.started_at), (a.error as Row | null)?.message]),
    'No attempts yet.',
  );

/** Messages with every delivery and attempt, the delivery log with re-send, and the event endpoints. */
export function deliveryPages(routes: RouteFamily): void {
  routes.get('/app/messages', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const query = passOn(req, ['channel_id', 'cursor']);
    const messages = accepted(await api<Page>(`/api/messages?limit=50${query ? `&${query}` : ''}`));
    const list = table(
      ['Message', 'Priority', 'Status', 'Sent', 'Answered'],
      messages.data.map((m) => [link(`/app/messages/${encodeURIComponent(text(m.id))}`, m.title), m.priority, badge(m.status), when(m.created_at), when(m.answered_at)]),
      'No messages yet.',
    );
    send({ title: 'Messages', section: '/app/messages', content: list + olderLink('/app/messages', req, messages, ['channel_id']) });
  });

  routes.get('/app/messages/:id', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const message = accepted(await api(`/api/messages/${encodeURIComponent(req.params.id)}`));
    const answer = message.answer as Row | null;
    const about = details([
      ['Title', message.title],
      ['Body', message.body],
      ['Priority', message.priority],
      ['Channel', link(`/app/channels/${encodeURIComponent(text(message.channel_id))}`, message.channel_id)],
      ['Sent', when(message.created_at)],
      ['Expires', when(message.expires_at)],
      ['Answer', answer ? raw(`${badge('answered').markup} ${link('#answer', text(answer.triggered_by)).markup}`) : badge('waiting')],
      ['Callback', message.callback_state],
    ]);
    const deliveries = (message.deliveries as Row[] | undefined) ?? [];
    const sections = deliveries
      .map((d) => {
        const resend = d.status === 'failed' || d.status === 'bounced' ? postButton(`/app/messages/${encodeURIComponent(req.params.id)}/deliveries/${encodeURIComponent(text(d.id))}/resend`, csrf, 'Re-send').markup : '';
        return `<h3>${badge(d.status).markup} ${escapeHtml(d.type)} → ${escapeHtml(d.recipient)} ${resend}</h3>` +
          details([['Delivery', d.id], ['Round', d.round], ['Delivered', when(d.delivered_at)], ['Last error', d.last_error]]) +
          attemptsTable((d.attempt_log as Row[] | undefined) ?? []);
      })
      .join('');
    const answered = answer ? `<h2 id="answer">Answer</h2>${details([['Choice', answer.triggered_by], ['Answered', when(answer.answered_at)]])}${json(answer.responses ?? {})}` : '';
    send({ title: text(message.title) || 'Message', section: '/app/messages', content: `${about}${answered}<h2>Deliveries (${escapeHtml(message.delivery_count ?? deliveries.length)})</h2>${sections || '<p class="muted">None.</p>'}` });
  });

  routes.get('/app/deliveries', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const query = passOn(req, ['status', 'endpoint', 'cursor']);
    const posts = accepted(await api<Page>(`/api/deliveries?limit=50${query ? `&${query}` : ''}`));
    const endpoint = passOn(req, ['endpoint']);
    const filter = (status: string) => link(`/app/deliveries?${[endpoint, status ? `status=${status}` : ''].filter(Boolean).join('&')}`, status || 'all');
    const filters = `<p>Show: ${['', 'failed', 'pending', 'succeeded'].map((status) => filter(status).markup).join(' · ')}</p>`;
    const list = table(
      ['Outgoing POST', 'Purpose', 'URL', 'Status', 'Attempts', 'Created', ''],
      posts.data.map((p) => [
        link(`/app/deliveries/${encodeURIComponent(text(p.id))}`, p.id),
        p.purpose,
        p.url,
        badge(p.status),
        (p.attempts as Row[] | undefined)?.length ?? 0,
        when(p.created_at),
        p.status === 'failed' ? postButton(`/app/deliveries/${encodeURIComponent(text(p.id))}/resend`, csrf, 'Re-send') : '',
      ]),
      'No outgoing POSTs yet: answer callbacks, delivery events and webhook destinations appear here.',
    );
    send({ title: 'Delivery log', section: '/app/deliveries', content: filters + list + olderLink('/app/deliveries', req, posts, ['status', 'endpoint']) });
  });

  routes.get('/app/deliveries/:id', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const post = accepted(await api(`/api/deliveries/${encodeURIComponent(req.params.id)}`));
    const about = details([['Id', post.id], ['Purpose', post.purpose], ['URL', post.url], ['Status', badge(post.status)], ['Created', when(post.created_at)], ['Settled', when(post.settled_at)], ['Error', (post.error as Row | null)?.message]]);
    const resend = post.status === 'failed' ? `<p>${postButton(`/app/deliveries/${encodeURIComponent(text(post.id))}/resend`, csrf, 'Re-send', { tone: 'primary' })}</p>` : '';
    send({ title: `Outgoing POST ${text(post.id)}`, section: '/app/deliveries', content: `${about}${resend}<h2>Attempts</h2>${attemptsTable((post.attempts as Row[] | undefined) ?? [])}` });
  });

  // A message's delivery may go through the dispatcher (email, Slack…), which the delivery log does not list: back to the message.
  routes.post('/app/messages/:id/deliveries/:deliveryId/resend', async (req, res) => {
    await changeThenShow(req, res, { method: 'POST', path: `/api/deliveries/${encodeURIComponent(req.params.deliveryId)}/resend` }, `/app/messages/${encodeURIComponent(req.params.id)}`);
  });

  routes.post('/app/deliveries/:id/resend', async (req, res) => {
    const id = encodeURIComponent(req.params.id);
    await changeThenShow(req, res, { method: 'POST', path: `/api/deliveries/${id}/resend` }, `/app/deliveries/${id}`);
  });

  routes.get('/app/endpoints', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const endpoints = accepted(await api<Page>('/api/endpoints'));
    const list = table(
      ['Endpoint', 'State', 'Created', ''],
      endpoints.data.map((e) => {
        const base = `/app/endpoints/${encodeURIComponent(text(e.id))}`;
        return [
          link(`/app/deliveries?endpoint=${encodeURIComponent(text(e.id))}`, e.url),
          e.disabled_at ? raw(`${badge('disabled').markup} since ${when(e.disabled_at).toString()}`) : badge('active'),
          when(e.created_at),
          raw(`${e.disabled_at ? postButton(`${base}/enable`, csrf, 'Enable').markup : ''} ${postButton(`${base}/rotate-secret`, csrf, 'Rotate secret').markup} ${postButton(`${base}/remove`, csrf, 'Remove', { tone: 'destructive' }).markup}`),
        ];
      }),
      'No event endpoints: delivery events (seed 003) go to each one registered here.',
    );
    const add = formCard('/app/endpoints', csrf, [{ name: 'url', label: 'URL', type: 'url', required: true, placeholder: 'https://example.com/pingback-events' }], 'Add endpoint');
    send({ title: 'Event endpoints', section: '/app/endpoints', content: `${list}<h2>New endpoint</h2>${add}` });
  });

  routes.post('/app/endpoints', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const endpoint = accepted(await api('/api/endpoints', { method: 'POST', body: { url: formText(req, 'url') ?? '' } }));
    send({ status: 201, title: 'Endpoint added', section: '/app/endpoints', copy: true, content: `<p class="notice">Events now go to ${escapeHtml(endpoint.url)}.</p>${shownOnce('Signing secret', text(endpoint.signing_secret))}<p>${link('/app/endpoints', 'Back to the endpoints')}</p>` });
  });

  routes.post('/app/endpoints/:id/rotate-secret', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const endpoint = accepted(await api(`/api/endpoints/${encodeURIComponent(req.params.id)}/rotate-secret`, { method: 'POST', body: {} }));
    send({ title: 'Secret rotated', section: '/app/endpoints', copy: true, content: `<p class="notice">The old secret also signs for 24 hours.</p>${shownOnce('New signing secret', text(endpoint.signing_secret))}<p>${link('/app/endpoints', 'Back to the endpoints')}</p>` });
  });

  for (const [action, method, suffix] of [['enable', 'POST', '/enable'], ['remove', 'DELETE', '']] as const) {
    routes.post(`/app/endpoints/:id/${action}`, async (req, res) => {
      await changeThenShow(req, res, { method, path: `/api/endpoints/${encodeURIComponent(req.params.id)}${suffix}` }, '/app/endpoints');
    });
  }
}

import type { RouteFamily } from '../http/route-family';
import { badge, details, formCard, link, postButton, raw, shownOnce, table, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf, formText } from './page-context';
import { text, type Page, type Row } from './rows';

const DESTINATION_KINDS: Array<[string, string]> = [
  ['webhook', 'Webhook (URL)'],
  ['slack', 'Slack incoming webhook (URL)'],
  ['discord', 'Discord webhook (URL)'],
  ['email', 'Email (address)'],
  ['telegram', 'Telegram (chat id)'],
  ['pagerduty', 'PagerDuty (routing key)'],
];

/** The destination a form describes, in the API's shape; the API checks it (SSRF, formats). */
function destinationOf(kind: string | undefined, target: string | undefined): Row {
  switch (kind) {
    case 'email':
      return { type: 'email', address: target };
    case 'telegram':
      return { type: 'telegram', chat_id: target };
    case 'pagerduty':
      return { type: 'pagerduty', routing_key: target };
    default:
      return { type: kind ?? 'webhook', url: target };
  }
}

/** How long "Send a test" waits for the message to be recorded before showing its page: 10 s at most. */
const RECORDED_TRIES = 40;
const RECORDED_PAUSE_MS = 250;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (destination: Row) => text(destination.url ?? destination.address ?? destination.chat_id ?? destination.routing_key ?? destination.recipient ?? '');

/** Channels and their destinations: create, test, rotate, remove. */
export function channelPages(routes: RouteFamily): void {
  routes.get('/app/channels', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const channels = accepted(await api<Page>('/api/channels?limit=100'));
    const list = table(
      ['Channel', 'Destinations', 'Created'],
      channels.data.map((c) => [link(`/app/channels/${encodeURIComponent(text(c.id))}`, c.name), c.destination_count, when(c.created_at)]),
      'No channels yet: create one below.',
    );
    const create = formCard('/app/channels', csrf, [
      { name: 'name', label: 'Name', required: true, placeholder: 'Deploys' },
      { name: 'kind', label: 'First destination (optional)', type: 'select', options: DESTINATION_KINDS },
      { name: 'target', label: 'URL, address, chat id or routing key', placeholder: 'https://example.com/hook' },
    ], 'Create channel');
    send({ title: 'Channels', section: '/app/channels', content: `${list}<h2>New channel</h2>${create}` });
  });

  routes.post('/app/channels', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const target = formText(req, 'target');
    const body = { name: formText(req, 'name') ?? '', ...(target ? { destinations: [destinationOf(formText(req, 'kind'), target)] } : {}) };
    const channel = accepted(await api('/api/channels', { method: 'POST', body }));
    const content =
      `<p class="notice">Channel ${link(`/app/channels/${encodeURIComponent(text(channel.id))}`, channel.name)} created. Send to it with its token; answer in its inbox.</p>` +
      shownOnce('Channel token', text(channel.token)) +
      shownOnce('Inbox URL (open it on your phone)', text(channel.inbox_url)) +
      shownOnce('Signing secret', text(channel.signing_secret)) +
      `<p>Try it: <code>npx pingback send --token ${'&lt;token&gt;'} --title "Deploy?" --button deploy:Deploy --wait</code></p>`;
    send({ status: 201, title: 'Channel created', section: '/app/channels', content, copy: true });
  });

  routes.get('/app/channels/:id', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const id = encodeURIComponent(req.params.id);
    const channel = accepted(await api(`/api/channels/${id}`));
    const destinations = accepted(await api<Page>(`/api/channels/${id}/destinations?limit=100`));
    const base = `/app/channels/${id}`;
    const about = details([
      ['Id', channel.id],
      ['Inbox', link(text(channel.inbox_url), 'open the inbox')],
      ['Created', when(channel.created_at)],
    ]);
    const actions = `<p>${postButton(`${base}/test`, csrf, 'Send a test', { tone: 'primary' })} ${postButton(`${base}/rotate-token`, csrf, 'Rotate token')} ${postButton(`${base}/rotate-secret`, csrf, 'Rotate signing secret')} ${link(`/app/messages?channel_id=${id}`, 'Messages')}</p>`;
    const list = table(
      ['Destination', 'Type', 'State', 'Added', ''],
      destinations.data.map((d) => [
        describe(d),
        d.type,
        badge(d.active === false ? 'disabled' : 'active'),
        when(d.created_at),
        raw(
          (d.active === false ? `${postButton(`${base}/destinations/${encodeURIComponent(text(d.id))}/enable`, csrf, 'Enable')} ` : '') +
            postButton(`${base}/destinations/${encodeURIComponent(text(d.id))}/remove`, csrf, 'Remove', { tone: 'destructive' }).markup,
        ),
      ]),
      'No destinations: messages reach the inbox only.',
    );
    const add = formCard(`${base}/destinations`, csrf, [
      { name: 'kind', label: 'Kind', type: 'select', options: DESTINATION_KINDS },
      { name: 'target', label: 'URL, address, chat id or routing key', required: true },
    ], 'Add destination');
    const remove = `<h2>Delete</h2>${postButton(`${base}/delete`, csrf, 'Delete this channel', { tone: 'destructive' })}`;
    send({ title: `Channel ${text(channel.name)}`, section: '/app/channels', content: `${about}${actions}<h2>Destinations</h2>${list}${add}${remove}` });
  });

  routes.post('/app/channels/:id/test', async (req, res) => {
    const { api } = contextOf(req, res);
    const sent = accepted(await api(`/api/channels/${encodeURIComponent(req.params.id)}/test`, { method: 'POST', body: {} }));
    const message = `/api/messages/${encodeURIComponent(text(sent.id))}`;
    // The send is recorded just after it is accepted: the message's page is shown once it can be read.
    for (let tries = 0; tries < RECORDED_TRIES && (await api(message)).status === 404; tries++) await pause(RECORDED_PAUSE_MS);
    res.redirect(303, `/app/messages/${encodeURIComponent(text(sent.id))}`);
  });

  routes.post('/app/channels/:id/rotate-token', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const channel = accepted(await api(`/api/channels/${encodeURIComponent(req.params.id)}/rotate-token`, { method: 'POST', body: {} }));
    const content = `<p class="notice">The old token and inbox URL stopped working.</p>${shownOnce('New channel token', text(channel.token))}${shownOnce('New inbox URL', text(channel.inbox_url))}<p>${link(`/app/channels/${encodeURIComponent(req.params.id)}`, 'Back to the channel')}</p>`;
    send({ title: 'Token rotated', section: '/app/channels', content, copy: true });
  });

  routes.post('/app/channels/:id/rotate-secret', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const channel = accepted(await api(`/api/channels/${encodeURIComponent(req.params.id)}/rotate-secret`, { method: 'POST', body: {} }));
    const content = `<p class="notice">The old secret also signs for 24 hours.</p>${shownOnce('New signing secret', text(channel.signing_secret))}<p>${link(`/app/channels/${encodeURIComponent(req.params.id)}`, 'Back to the channel')}</p>`;
    send({ title: 'Signing secret rotated', section: '/app/channels', content, copy: true });
  });

  routes.post('/app/channels/:id/destinations', async (req, res) => {
    const id = encodeURIComponent(req.params.id);
    const body = destinationOf(formText(req, 'kind'), formText(req, 'target'));
    await changeThenShow(req, res, { method: 'POST', path: `/api/channels/${id}/destinations`, body }, `/app/channels/${id}`);
  });

  routes.post('/app/channels/:id/destinations/:destId/remove', async (req, res) => {
    const id = encodeURIComponent(req.params.id);
    await changeThenShow(req, res, { method: 'DELETE', path: `/api/channels/${id}/destinations/${encodeURIComponent(req.params.destId)}` }, `/app/channels/${id}`);
  });

  routes.post('/app/channels/:id/destinations/:destId/enable', async (req, res) => {
    const id = encodeURIComponent(req.params.id);
    await changeThenShow(req, res, { method: 'POST', path: `/api/channels/${id}/destinations/${encodeURIComponent(req.params.destId)}/enable` }, `/app/channels/${id}`);
  });

  routes.post('/app/channels/:id/delete', async (req, res) => {
    await changeThenShow(req, res, { method: 'DELETE', path: `/api/channels/${encodeURIComponent(req.params.id)}` }, '/app/channels');
  });
}

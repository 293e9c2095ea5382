import type { RouteFamily } from '../http/route-family';
import { escapeHtml } from '../pages/escape-html';
import { badge, details, formCard, link, postButton, shownOnce, table, when } from '../pages/dashboard/html';
import { accepted, changeThenShow, contextOf, formText } from './page-context';
import { text, type Page, type Row } from './rows';

/** A fire URL with its secret cut off: the full URL is shown once, when the webhook is made. */
const maskedUrl = (url: unknown) => text(url).replace(/\/whk_[^/]+$/, '/whk_…');

/** Rooms (seed 004): members, incoming webhooks (secret fire URLs) and the outgoing webhook. */
export function roomPages(routes: RouteFamily): void {
  routes.get('/app/rooms', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const rooms = accepted(await api<Page>('/api/rooms?limit=100'));
    const list = table(
      ['Room', 'Invite code', 'Members', 'Incoming webhooks', 'Created'],
      rooms.data.map((r) => [link(`/app/rooms/${encodeURIComponent(text(r.invite_code))}`, r.name), r.invite_code, r.member_count, r.webhook_count, when(r.created_at)]),
      'No rooms yet.',
    );
    send({ title: 'Rooms', section: '/app/rooms', content: `${list}<h2>New room</h2>${formCard('/app/rooms', csrf, [{ name: 'name', label: 'Name', required: true }], 'Create room')}` });
  });

  routes.post('/app/rooms', async (req, res) => {
    const room = accepted(await contextOf(req, res).api('/api/rooms', { method: 'POST', body: { name: formText(req, 'name') ?? '' } }));
    res.redirect(303, `/app/rooms/${encodeURIComponent(text(room.invite_code))}`);
  });

  routes.get('/app/rooms/:code', async (req, res) => {
    const { api, csrf, send } = contextOf(req, res);
    const code = encodeURIComponent(req.params.code);
    const base = `/app/rooms/${code}`;
    const [room, members, webhooks, outgoing] = await Promise.all([
      api(`/api/rooms/${code}`).then(accepted),
      api<Page>(`/api/rooms/${code}/members?limit=100`).then(accepted),
      api<Page>(`/api/rooms/${code}/webhooks?limit=100`).then(accepted),
      api(`/api/rooms/${code}/outgoing-webhook`).then(accepted),
    ]);
    const memberList = table(
      ['Channel', 'Added', ''],
      members.data.map((m) => [link(`/app/channels/${encodeURIComponent(text(m.channel_id))}`, m.name), when(m.added_at), postButton(`${base}/members/${encodeURIComponent(text(m.channel_id))}/remove`, csrf, 'Remove', { tone: 'destructive' })]),
      'No members: a ping reaches the channels added here.',
    );
    const addMember = formCard(`${base}/members`, csrf, [{ name: 'channel_id', label: 'Channel id', required: true, placeholder: 'ch_…' }], 'Add channel');
    const webhookList = table(
      ['Incoming webhook', '#', 'Fire URL', 'State', 'Cooldown', ''],
      webhooks.data.map((w: Row) => [w.name, w.action_number, maskedUrl(w.webhook_url), badge(w.enabled ? 'active' : 'disabled'), `${text(w.cooldown)} s`, postButton(`${base}/webhooks/${encodeURIComponent(text(w.id))}/remove`, csrf, 'Remove', { tone: 'destructive' })]),
      'No incoming webhooks: add one to fire this room from CI or a script.',
    );
    const addWebhook = formCard(`${base}/webhooks`, csrf, [{ name: 'name', label: 'Name', required: true, placeholder: 'CI' }], 'Add incoming webhook');
    const outgoingState = details([
      ['URL', outgoing.url],
      ['State', badge(outgoing.url ? (outgoing.enabled ? 'active' : 'disabled') : 'not set')],
      ['Failures in a row', outgoing.consecutive_failures],
      ['Switched off', outgoing.disabled_at ? `${text(outgoing.disabled_reason)} at ${text(outgoing.disabled_at)}` : null],
    ]);
    const setOutgoing = formCard(`${base}/outgoing-webhook`, csrf, [{ name: 'url', label: 'URL every ping is posted to', type: 'url', required: true, value: text(outgoing.url) }], outgoing.url ? 'Save and switch on' : 'Set outgoing webhook');
    const content =
      details([['Invite code', room.invite_code], ['Created', when(room.created_at)]]) +
      `<p>${postButton(`${base}/ping`, csrf, 'Ping the room', { tone: 'primary' })}</p>` +
      `<h2>Members</h2>${memberList}${addMember}<h2>Incoming webhooks</h2>${webhookList}${addWebhook}<h2>Outgoing webhook</h2>${outgoingState}${setOutgoing}` +
      `<p>${link(`/app/deliveries?endpoint=${encodeURIComponent(text(room.id))}`, 'Its deliveries')}</p>`;
    send({ title: `Room ${text(room.name)}`, section: '/app/rooms', content });
  });

  routes.post('/app/rooms/:code/members', async (req, res) => {
    const code = encodeURIComponent(req.params.code);
    await changeThenShow(req, res, { method: 'POST', path: `/api/rooms/${code}/members`, body: { channel_id: formText(req, 'channel_id') ?? '' } }, `/app/rooms/${code}`);
  });

  routes.post('/app/rooms/:code/members/:channelId/remove', async (req, res) => {
    const code = encodeURIComponent(req.params.code);
    await changeThenShow(req, res, { method: 'DELETE', path: `/api/rooms/${code}/members/${encodeURIComponent(req.params.channelId)}` }, `/app/rooms/${code}`);
  });

  routes.post('/app/rooms/:code/webhooks', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const code = encodeURIComponent(req.params.code);
    const webhook = accepted(await api(`/api/rooms/${code}/webhooks`, { method: 'POST', body: { name: formText(req, 'name') ?? '' } }));
    const content = `<p class="notice">Anyone with this URL can fire the room: keep it like a password.</p>${shownOnce('Fire URL', text(webhook.webhook_url))}<p>${link(`/app/rooms/${code}`, 'Back to the room')}</p>`;
    send({ status: 201, title: 'Incoming webhook added', section: '/app/rooms', content, copy: true });
  });

  routes.post('/app/rooms/:code/webhooks/:id/remove', async (req, res) => {
    const code = encodeURIComponent(req.params.code);
    await changeThenShow(req, res, { method: 'DELETE', path: `/api/rooms/${code}/webhooks/${encodeURIComponent(req.params.id)}` }, `/app/rooms/${code}`);
  });

  routes.post('/app/rooms/:code/outgoing-webhook', async (req, res) => {
    const { api, send } = contextOf(req, res);
    const code = encodeURIComponent(req.params.code);
    const outgoing = accepted(await api(`/api/rooms/${code}/outgoing-webhook`, { method: 'PUT', body: { url: formText(req, 'url') ?? '', enabled: true } }));
    const content = `<p class="notice">Every ping of the room is now posted to ${escapeHtml(outgoing.url)}, signed.</p>${shownOnce('Signing secret', text(outgoing.signing_secret))}<p>${link(`/app/rooms/${code}`, 'Back to the room')}</p>`;
    send({ title: 'Outgoing webhook set', section: '/app/rooms', content, copy: true });
  });

  routes.post('/app/rooms/:code/ping', async (req, res) => {
    const code = encodeURIComponent(req.params.code);
    await changeThenShow(req, res, { method: 'POST', path: `/api/rooms/${code}/ping` }, `/app/rooms/${code}`);
  });
}

import { AccountRef, AddDestinations, ChannelsDestinations, DispatcherRoutes as Routes, type ChannelsDestinationsView, DomainError, ListQuery, toPage, type DestinationKind } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import { newId } from '@pingback/security';
import { Router } from 'express';
import type { DestinationRepository } from '../data/destination.repository';
import type { DispatchDeps } from '../dispatch-deps';
import { destinationView, storedSettings } from '../domain/destination-settings';
import { accountOf } from './account-query';


/** A channel's destinations, for the gateway's `/api/channels/{id}/destinations` (the gateway checked ownership of the channel and SSRF). */
export function destinationRoutes(deps: DispatchDeps, destinations: DestinationRepository): Router {
  const router = Router();

  router.post(Routes.addDestinations.pattern, async (req, res) => {
    const request = AddDestinations.parse(req.body);
    const unconfigured = request.destinations.find((d) => d.type !== 'webhook' && !deps.adapters[d.type as DestinationKind]);
    if (unconfigured) {
      throw new DomainError('provider_not_configured', `this deployment has no ${unconfigured.type} provider configured: see the README's section on ${unconfigured.type}`, { type: unconfigured.type });
    }
    const rows = request.destinations.map((input) => ({ id: newId('dst_'), kind: input.type, settings: storedSettings(deps.keyring, input) }));
    const added = await destinations.add(request.account_id, req.params.channelId!, rows, request.max);
    if (added === 'limit_reached') {
      throw new DomainError('destination_limit_reached', `a channel has at most ${request.max} destinations: delete one first`, { limit: request.max });
    }
    // In the order they were given, so a caller can match each to its input.
    const byId = new Map(added.map((d) => [d.id, d]));
    res.json({ data: rows.map((row) => destinationView(deps.keyring, byId.get(row.id)!)), next_cursor: null });
  });

  router.post(Routes.destinationsOfChannels.pattern, async (req, res) => {
    const request = ChannelsDestinations.parse(req.body);
    const rows = await destinations.firstOfChannels(request.account_id, request.channel_ids, request.per_channel);
    const reply: ChannelsDestinationsView = { channels: {} };
    for (const id of request.channel_ids) reply.channels[id] = { destinations: [], count: 0 };
    for (const row of rows) {
      const entry = reply.channels[row.channelId]!;
      entry.destinations.push(destinationView(deps.keyring, row));
      entry.count = row.total;
    }
    res.json(reply);
  });

  router.get(Routes.listDestinations.pattern, async (req, res) => {
    const { limit, cursor } = ListQuery.parse(req.query);
    const rows = await destinations.page(accountOf(req), req.params.channelId!, { limit: limit + 1, ...(cursor ? { after: cursor } : {}) });
    res.json(toPage(rows, limit, (d) => destinationView(deps.keyring, d)));
  });

  router.get(Routes.getDestination.pattern, async (req, res) => {
    const found = await destinations.find(accountOf(req), req.params.channelId!, req.params.id!);
    if (!found) throw notFound('destination');
    res.json(destinationView(deps.keyring, found));
  });

  router.post(Routes.enableDestination.pattern, async (req, res) => {
    const { account_id: accountId } = AccountRef.parse(req.body);
    const enabled = await destinations.enable(accountId, req.params.channelId!, req.params.id!, new Date());
    if (!enabled) throw notFound('destination');
    res.json(destinationView(deps.keyring, enabled));
  });

  router.delete(Routes.deleteDestination.pattern, async (req, res) => {
    res.json({ deleted: await destinations.remove(accountOf(req), req.params.channelId!, req.params.id!) });
  });

  router.delete(Routes.forgetChannel.pattern, async (req, res) => {
    res.json({ deleted: await destinations.removeChannel(accountOf(req), req.params.channelId!) });
  });

  router.get(Routes.getEscalation.pattern, async (req, res) => {
    const policy = await deps.db.channelPolicy.findFirst({ where: { channelId: req.params.channelId!, accountId: accountOf(req) } });
    res.json({ channel_id: req.params.channelId, escalation: policy?.escalation ?? null });
  });

  router.put(Routes.putEscalation.pattern, async (req, res) => {
    const { account_id: accountId, escalation } = Routes.putEscalation.request.parse(req.body);
    const channelId = req.params.channelId!;
    await deps.db.channelPolicy.upsert({
      where: { channelId },
      create: { channelId, accountId, escalation },
      update: { escalation, updatedAt: new Date() },
    });
    res.json({ channel_id: channelId, escalation });
  });

  router.delete(Routes.deleteEscalation.pattern, async (req, res) => {
    res.json({ deleted: (await deps.db.channelPolicy.deleteMany({ where: { channelId: req.params.channelId!, accountId: accountOf(req) } })).count });
  });

  return router;
}

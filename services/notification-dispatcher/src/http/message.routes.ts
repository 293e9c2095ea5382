import { AccountRef, DispatcherRoutes as Routes, DomainError, type MessageDeliveries } from '@pingback/contracts';
import { notFound } from '@pingback/http';
import { Router } from 'express';
import type { DispatchDeps } from '../dispatch-deps';
import { publishDeliveries } from '../domain/fanout-page';
import { contentOfRow } from '../domain/notification-content';
import { respondUrl } from '../domain/respond-url';

/** The states a delivery is re-sent from. */
const RESENDABLE = ['failed', 'bounced'];

/** GET /internal/messages/:id — every delivery of a message and every attempt; and re-sending a failed delivery. */
export function messageRoutes(deps: DispatchDeps, options: { viewDeliveries: number }): Router {
  const router = Router();

  router.get(Routes.messageDeliveries.pattern, async (req, res) => {
    const message = await deps.db.message.findUnique({
      where: { id: req.params.id! },
      include: {
        deliveries: { orderBy: { id: 'asc' }, take: options.viewDeliveries, include: { attemptLog: { orderBy: [{ resend: 'asc' }, { attempt: 'asc' }] } } },
        _count: { select: { deliveries: true } },
      },
    });
    if (!message) throw notFound('message');
    const reply: MessageDeliveries = {
      id: message.id,
      account_id: message.accountId,
      channel_id: message.channelId,
      delivery_count: message._count.deliveries,
      deliveries: message.deliveries.map((d) => ({
        id: d.id,
        type: d.kind,
        destination_id: d.destinationId,
        url: d.url,
        recipient: d.recipient,
        round: d.round,
        status: d.status,
        attempts: d.attempts,
        last_error: d.lastError,
        delivered_at: d.deliveredAt?.toISOString() ?? null,
        respond_url: respondUrl(deps.publicUrl, deps.keyring, d.id),
        attempt_log: d.attemptLog.map((a) => ({
          resend: a.resend,
          attempt: a.attempt,
          outcome: a.outcome,
          error: a.errorCode || a.errorMessage ? { code: a.errorCode, message: a.errorMessage } : null,
          latency_ms: a.latencyMs,
          at: a.at.toISOString(),
        })),
      })),
    };
    res.json(reply);
  });

  /**
   * A delivery that failed (or bounced) for good goes out again as a new round of attempts: its state goes back to
   * pending and it is handed out as it was the first time; a webhook as a new POST (webhook-deliverer settled the
   * first one), whose outcome settles this delivery as the first one's would have. Not to a destination that is
   * switched off, until its owner enables it.
   */
  router.post(Routes.resendDelivery.pattern, async (req, res) => {
    const { account_id: accountId } = AccountRef.parse(req.body);
    const delivery = await deps.db.delivery.findUnique({ where: { id: req.params.id! }, include: { message: true } });
    if (!delivery || delivery.message.accountId !== accountId || delivery.kind === 'web') throw notFound('delivery');
    const notResendable = () => new DomainError('not_resendable', `this delivery is ${delivery.status}: only a failed delivery can be re-sent`, { status: delivery.status });
    if (!RESENDABLE.includes(delivery.status)) throw notResendable();
    const destination = delivery.destinationId ? await deps.db.destination.findUnique({ where: { id: delivery.destinationId }, select: { active: true } }) : null;
    if (destination && !destination.active) {
      throw new DomainError('endpoint_disabled', 'this destination is switched off: enable it first, then re-send', { destination_id: delivery.destinationId });
    }
    const { count } = await deps.db.delivery.updateMany({
      where: { id: delivery.id, status: { in: RESENDABLE } },
      data: { status: 'pending', attempts: 0, resends: { increment: 1 }, errorCode: null, lastError: null, updatedAt: new Date() },
    });
    if (count === 0) throw notResendable();
    const content = contentOfRow(delivery.message);
    const postId = delivery.kind === 'webhook' ? `${delivery.id}.resend-${Date.now().toString(36)}` : undefined;
    await publishDeliveries(deps.broker, deps, content, [{ id: delivery.id, kind: delivery.kind, url: delivery.url, recipient: delivery.recipient ?? '', destinationId: delivery.destinationId, ...(postId ? { postId } : {}) }], req.traceId);
    res.json({ id: delivery.id, status: 'pending' });
  });

  return router;
}

import { ListQuery, TRACKER_ROUTES, toPage, type AlertView } from '@pingback/contracts';
import { Router } from 'express';
import { z } from 'zod';
import type { Alert } from '../generated/prisma/client';
import type { TrackerDeps } from '../tracker-deps';
import type { AcknowledgedHook } from '../messaging/message-answered.consumer';
import { mustOwn } from '../domain/domain-errors';
import { accountOf } from './account';

const AlertListQuery = ListQuery.extend({ subject_id: z.string().min(1).max(200).optional() });

export const alertView = (alert: Alert): AlertView => ({
  id: alert.id,
  event: alert.event,
  subject: { type: alert.subjectKind, id: alert.subjectId },
  title: alert.title,
  body: alert.body,
  repeats: alert.repeats,
  created_at: alert.createdAt.toISOString(),
  acknowledged_at: alert.acknowledgedAt?.toISOString() ?? null,
  acknowledged_by: alert.acknowledgedBy,
});

/** The account's alerts, newest first, and acknowledging one by API (its respond link does the same). */
export function alertRoutes(deps: TrackerDeps, onAcknowledged: AcknowledgedHook): Router {
  const router = Router();

  router.get(TRACKER_ROUTES.alerts.path, async (req, res) => {
    const accountId = accountOf(req);
    const { limit, cursor, subject_id } = AlertListQuery.parse(req.query);
    const rows = await deps.db.alert.findMany({
      where: { accountId, ...(subject_id ? { subjectId: subject_id } : {}), ...(cursor ? { id: { lt: cursor } } : {}) },
      orderBy: { id: 'desc' },
      take: limit + 1,
    });
    res.json(toPage(rows, limit, alertView));
  });

  router.post(TRACKER_ROUTES.alertAcknowledge.path, async (req, res) => {
    const accountId = accountOf(req);
    const alertId = req.params.alertId!;
    const alert = await deps.db.$transaction(async (tx) => {
      mustOwn(await tx.alert.findUnique({ where: { id: alertId } }), accountId, 'alert');
      const { count } = await tx.alert.updateMany({ where: { id: alertId, acknowledgedAt: null }, data: { acknowledgedAt: deps.now(), acknowledgedBy: 'api' } });
      const row = await tx.alert.findUniqueOrThrow({ where: { id: alertId } });
      if (count === 1) await onAcknowledged(tx, row);
      return row;
    });
    res.json(alertView(alert));
  });

  return router;
}

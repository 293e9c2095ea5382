import type { AcknowledgedHook } from '../../messaging/message-answered.consumer';
import type { TrackerDeps } from '../../tracker-deps';
import { stopRepeatOf } from './heartbeat-clock';

/**
 * An alert was acknowledged (its message answered on a respond link, or POST /api/alerts/{id}/acknowledge): a
 * monitor's repeated down alert stops, in the acknowledging transaction.
 */
export const monitorAlertAcknowledged =
  (_deps: TrackerDeps): AcknowledgedHook =>
  async (tx, alert) => {
    if (alert.subjectKind === 'monitor') await stopRepeatOf(tx, alert.subjectId, alert.id);
  };

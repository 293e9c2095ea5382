import type { AcknowledgedHook } from '../../messaging/message-answered.consumer';
import type { TrackerDeps } from '../../tracker-deps';

/** An alert was acknowledged: a monitor's repeated down alert stops. */
export const monitorAlertAcknowledged = (_deps: TrackerDeps): AcknowledgedHook => async () => undefined;

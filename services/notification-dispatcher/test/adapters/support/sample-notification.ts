import type { OutgoingNotification } from '../../../src/adapters/adapter';

/** One delivery's notification as the dispatcher hands it to an adapter; each test overrides what it checks. */
export function sampleNotification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return {
    messageId: 'msg_01',
    deliveryId: 'dlv_01',
    channelId: 'ch_01',
    title: 'Deploy prod?',
    body: 'Release 1.2 is ready',
    priority: 'high',
    actions: [
      { type: 'button', label: 'Approve', key: 'approve', style: 'primary' },
      { type: 'button', label: 'Reject', key: 'reject', style: 'destructive' },
    ],
    data: null,
    respondUrl: 'https://pingback.test/r/tok_abc',
    expiresAt: '2026-12-01T09:30:00Z',
    attempt: 1,
    ...overrides,
  };
}

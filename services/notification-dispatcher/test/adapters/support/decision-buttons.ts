import type { CarriedAction } from '@pingback/contracts';

/** An approval's signed decision pages on the gateway, as approval-service puts them on its buttons. */
export const APPROVE_URL = 'https://pingback.test/a/apv_approve.c2lnbmVk';
export const DENY_URL = 'https://pingback.test/a/apv_deny.c2lnbmVk';

/** Approve and Deny open their own decision pages; Snooze, carrying no link, still answers on the respond link. */
export const decisionButtons = (): CarriedAction[] => [
  { type: 'button', label: 'Approve', key: 'approve', style: 'primary', url: APPROVE_URL },
  { type: 'button', label: 'Deny', key: 'deny', style: 'destructive', url: DENY_URL },
  { type: 'button', label: 'Snooze', key: 'snooze' },
];

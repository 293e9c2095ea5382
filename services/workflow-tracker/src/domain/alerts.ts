import { envelopeFor, publications, type NotificationPayload } from '@pingback/contracts';
import { createMessageId, newId, type Keyring } from '@pingback/security';
import { trackerOutbox } from '../data/durable-tables';
import type { TrackerTx } from '../data/prisma';

export interface AlertDeps {
  keyring: Keyring;
  /** The gateway's public address: an alert links to the state it is about. */
  publicUrl: string;
  /** How long an alert's message can be answered, which acknowledges it. */
  alertExpiresInMs: number;
}

export type AlertSubjectKind = 'workflow' | 'process_hook' | 'monitor';

export interface AlertInput {
  accountId: string;
  subject: { kind: AlertSubjectKind; id: string; name: string };
  /** What happened, as a dotted name: `monitor.down`, `stage.missed`, `instance.failed`, `process.overdue`, … */
  event: string;
  /** One line for people: "nightly-backup is down". */
  title: string;
  /** What happened and when, for people. */
  body: string;
  /** Where the subject's state can be read (a path on the public address). */
  statePath: string;
  channels: readonly string[];
  at: Date;
  priority?: 'normal' | 'high';
}

/** Answering an alert's message (any of its buttons, on any of its links) acknowledges the alert. */
const ACKNOWLEDGE = [{ type: 'button' as const, key: 'acknowledge', label: 'Acknowledge', style: 'primary' as const }];

/**
 * Records an alert and tells each of its channels, as one message per channel through the notification-dispatcher,
 * in the caller's transaction: the alert goes out exactly when the state change it reports commits (the outbox).
 * Returns the alert's id, or null when there is no channel to tell.
 */
export async function raiseAlert(tx: TrackerTx, deps: AlertDeps, input: AlertInput): Promise<string | null> {
  const alertId = newId('alr_');
  await tx.alert.create({
    data: {
      id: alertId,
      accountId: input.accountId,
      subjectKind: input.subject.kind,
      subjectId: input.subject.id,
      event: input.event,
      title: input.title,
      body: input.body,
      createdAt: input.at,
    },
  });
  await tellChannels(tx, deps, alertId, input);
  return alertId;
}

/** Tells an alert's channels (again, for a repeat): new messages, each acknowledging the same alert. */
export async function tellChannels(tx: TrackerTx, deps: AlertDeps, alertId: string, input: AlertInput): Promise<void> {
  if (input.channels.length === 0) return;
  const link = new URL(input.statePath, deps.publicUrl).toString();
  const payloads: NotificationPayload[] = input.channels.map((channelId) => ({
    messageId: createMessageId(deps.keyring, channelId),
    accountId: input.accountId,
    channelId,
    title: input.title,
    body: `${input.body}\n${link}`,
    priority: input.priority ?? 'high',
    actions: ACKNOWLEDGE,
    data: {
      alert: { id: alertId, event: input.event, at: input.at.toISOString() },
      subject: { type: input.subject.kind, id: input.subject.id, name: input.subject.name },
      state_url: link,
    },
    callbackUrl: null,
    eventsUrl: null,
    createdAt: input.at.toISOString(),
    expiresAt: new Date(input.at.getTime() + deps.alertExpiresInMs).toISOString(),
    deliveries: [{ id: newId('dlv_'), kind: 'web', destinationId: null, url: null }],
    fallback: [],
    escalation: null,
  }));
  await tx.alertMessage.createMany({ data: payloads.map((p) => ({ messageId: p.messageId, alertId })) });
  await trackerOutbox.append(
    tx,
    payloads.map((payload) => {
      const envelope = envelopeFor(publications.notificationRequested, payload, { id: payload.messageId, occurredAt: input.at });
      return { id: envelope.id, publication: publications.notificationRequested.routingKey, envelope };
    }),
  );
}

/**
 * An alert's message was answered: the alert is acknowledged (once; the first answer names who). Returns the
 * acknowledged alert, or null when the message was not an alert's or the alert was acknowledged already.
 */
export async function acknowledgeByMessage(tx: TrackerTx, messageId: string, by: string, at: Date): Promise<{ id: string; subjectKind: string; subjectId: string } | null> {
  const message = await tx.alertMessage.findUnique({ where: { messageId }, select: { alertId: true } });
  if (!message) return null;
  const { count } = await tx.alert.updateMany({ where: { id: message.alertId, acknowledgedAt: null }, data: { acknowledgedAt: at, acknowledgedBy: by } });
  if (count === 0) return null;
  return tx.alert.findUniqueOrThrow({ where: { id: message.alertId }, select: { id: true, subjectKind: true, subjectId: true } });
}

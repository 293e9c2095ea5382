import type { CarriedAction, EscalationPolicy, NotificationPayload } from '@pingback/contracts';
import type { Message, Prisma } from '../generated/prisma/client';

/** What every delivery of a message says, from the accepted send or from its stored row. */
export interface NotificationContent {
  messageId: string;
  accountId: string;
  channelId: string;
  title: string;
  body: string | null;
  priority: 'low' | 'normal' | 'high';
  actions: CarriedAction[];
  data: Record<string, unknown> | null;
  eventsUrl: string | null;
  createdAt: Date;
  expiresAt: Date;
  fallback: string[];
  escalation: EscalationPolicy | null;
}

export function contentOfPayload(payload: NotificationPayload, channelEscalation: EscalationPolicy | null): NotificationContent {
  return {
    messageId: payload.messageId,
    accountId: payload.accountId,
    channelId: payload.channelId,
    title: payload.title,
    body: payload.body,
    priority: payload.priority,
    actions: payload.actions,
    data: payload.data,
    eventsUrl: payload.eventsUrl,
    createdAt: new Date(payload.createdAt),
    expiresAt: new Date(payload.expiresAt),
    fallback: payload.fallback,
    escalation: payload.escalation ?? channelEscalation,
  };
}

export function contentOfRow(row: Message): NotificationContent {
  return {
    messageId: row.id,
    accountId: row.accountId,
    channelId: row.channelId,
    title: row.title,
    body: row.body,
    priority: row.priority as NotificationContent['priority'],
    actions: row.actions as CarriedAction[],
    data: (row.data ?? null) as Record<string, unknown> | null,
    eventsUrl: row.eventsUrl,
    createdAt: row.createdAt,
    // Rows recorded before messages kept their expiry: a day, the default answer window.
    expiresAt: row.expiresAt ?? new Date(row.createdAt.getTime() + 86_400_000),
    fallback: row.fallback as string[],
    escalation: (row.escalation ?? null) as EscalationPolicy | null,
  };
}

/** The row a message is recorded as. */
export function messageRow(content: NotificationContent): Prisma.MessageCreateManyInput {
  return {
    id: content.messageId,
    accountId: content.accountId,
    channelId: content.channelId,
    title: content.title,
    body: content.body,
    priority: content.priority,
    actions: content.actions as Prisma.InputJsonArray,
    data: (content.data ?? undefined) as Prisma.InputJsonObject | undefined,
    eventsUrl: content.eventsUrl,
    createdAt: content.createdAt,
    expiresAt: content.expiresAt,
    fallback: content.fallback,
    escalation: (content.escalation ?? undefined) as Prisma.InputJsonObject | undefined,
  };
}

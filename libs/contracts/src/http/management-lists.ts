import { z } from 'zod';

const LIMIT_RANGE = 'must be a whole number from 1 to 100';

/** CONTRACT §8: every list takes `limit` and `cursor` and answers `{ data, next_cursor }`. */
export const ListQuery = z.object({
  // Digits only: Number() would also read `1e2`, `0x10` or ` 5`.
  limit: z
    .string()
    .regex(/^\d{1,3}$/, LIMIT_RANGE)
    .transform(Number)
    .pipe(z.number().min(1, LIMIT_RANGE).max(100, LIMIT_RANGE))
    .default(50),
  /** A page's next_cursor is the id of its last row: a prefix and a ULID (a message id adds its tag). */
  cursor: z
    .string()
    .regex(/^[a-z]{1,10}_[0-9A-Za-z_-]{26,40}$/, 'the next_cursor of a previous page')
    .optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** The body of every list: one page of `item`s and the cursor of the next page, null on the last. */
export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

/**
 * One page from rows fetched with `limit + 1`: the extra row only says that a next page exists, and the next
 * page starts after the last row shown.
 */
export function toPage<R extends { id: string }, V>(rows: readonly R[], limit: number, view: (row: R) => V): { data: V[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? page.at(-1)!.id : null };
}

export const MessageListQuery = ListQuery.extend({ channel_id: z.string().min(1).max(200).optional() });
export type MessageListQuery = z.infer<typeof MessageListQuery>;

/** response-store's internal list route: the account comes from the gateway's authentication, never the caller. */
export const InternalMessageListQuery = MessageListQuery.extend({ account_id: z.string().min(1) });
export type InternalMessageListQuery = z.infer<typeof InternalMessageListQuery>;

/** One line of GET /api/messages; `GET /api/messages/{id}` has the deliveries and the answer. */
export const MessageSummary = z.object({
  id: z.string(),
  channel_id: z.string(),
  title: z.string(),
  priority: z.string(),
  /** pending: no answer yet and the window open; answered; expired: the window closed unanswered. */
  status: z.enum(['pending', 'answered', 'expired']),
  created_at: z.string(),
  expires_at: z.string(),
  answered_at: z.string().nullable(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const MessageList = pageOf(MessageSummary);
export type MessageList = z.infer<typeof MessageList>;

/** An API key as its account sees it in lists: never the key, only its last characters. */
export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  hint: z.string().nullable(),
  created_at: z.string(),
  /** True for the key that made this request. */
  current: z.boolean(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const ApiKeyList = pageOf(ApiKeyView);
export type ApiKeyList = z.infer<typeof ApiKeyList>;

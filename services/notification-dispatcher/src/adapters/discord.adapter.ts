import { z } from 'zod';
import type { DestinationSettings } from '@pingback/contracts';
import { createOutgoingAgents, RequestTimeoutError, safePost, UnsafeUrlError, type Resolver, type SafeResponse } from '@pingback/security';
import type { DestinationAdapter, OutgoingNotification, SendResult } from './adapter';
import { readableUtc } from '@pingback/contracts';
import { buttonUrl } from './action-links';

export interface DiscordAdapterOptions {
  /** PINGBACK_ALLOW_PRIVATE_TARGETS: lets a webhook URL use http, another port or a private address. */
  allowPrivate: boolean;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Resolves webhook host names (default: the system resolver); every address is checked at connect time. */
  resolver?: Resolver;
}

type DiscordDestination = DestinationSettings<'discord'>;

const DEFAULT_TIMEOUT_MS = 10_000;
/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, embedTotal: 6000 };
/** A link's text in a field: long enough for any sensible label, short enough that 25 fields fit the total. */
const LINK_TEXT_MAX_CHARS = 80;
const COLOURS: Record<OutgoingNotification['priority'], number> = { high: 0xe5484d, normal: 0x5865f2, low: 0x99aab5 };
/** Discord's JSON error codes for a webhook that no longer exists or whose token was reset. */
const UNKNOWN_WEBHOOK = 10015;
const INVALID_WEBHOOK_TOKEN = 50027;

const CreatedMessage = z.object({ id: z.string() });
const DiscordError = z.object({ message: z.string().optional(), code: z.number().optional(), retry_after: z.number().optional() });

interface EmbedField {
  name: string;
  value: string;
  inline: boolean;
}

/**
 * Posts one embed per delivery to a Discord webhook (a user's URL) through safePost: the URL's literal address is
 * checked first, every resolved address at connect time, redirects are never followed. `?wait=true` makes Discord
 * answer with the message it created.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DestinationAdapter<DiscordDestination> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agents = createOutgoingAgents();

  return {
    kind: 'discord',
    // The path ends in the webhook's token: only its last four characters are shown.
    recipient: (destination) => `discord webhook …${pathOf(destination.url).slice(-4)}`,

    async send(destination, notification) {
      let response: SafeResponse;
      try {
        response = await safePost({
          url: withWait(destination.url),
          body: JSON.stringify(discordMessage(notification)),
          timeoutMs,
          allowPrivate: options.allowPrivate,
          lookup: options.resolver,
          agents,
        });
      } catch (err) {
        return resultOfRequestError(err, timeoutMs);
      }
      return resultOfResponse(response);
    },

    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function discordMessage(notification: OutgoingNotification) {
  const title = cut(notification.title, LIMITS.title);
  const footer = `Expires ${readableUtc(notification.expiresAt)}`;
  const fields = linkFields(notification, LIMITS.embedTotal - title.length - footer.length);
  const descriptionRoom = Math.min(LIMITS.description, LIMITS.embedTotal - title.length - footer.length - sizeOf(fields));
  const description = notification.body && descriptionRoom > 1 ? cut(notification.body, descriptionRoom) : '';
  const lead = notification.priority === 'high' ? 'High priority notification' : 'New notification';
  return {
    content: notification.actions.length > 0 ? `${lead}: an answer is requested` : lead,
    embeds: [
      {
        title,
        ...(description ? { description } : {}),
        url: notification.respondUrl,
        color: COLOURS[notification.priority],
        ...(fields.length > 0 ? { fields } : {}),
        footer: { text: footer },
      },
    ],
    // Nothing a sender wrote may ever ping @everyone, a role or a user.
    allowed_mentions: { parse: [] },
  };
}

/**
 * A field per button linking to the respond page (or to the button's own link), and an "Answer" field when there
 * are inputs. Buttons that do not fit the embed's limits (`room` characters at most) are left to the respond page,
 * behind "Answer".
 */
function linkFields({ actions, respondUrl }: OutgoingNotification, room: number): EmbedField[] {
  const answer: EmbedField = { name: 'Answer', value: `[Answer](${respondUrl})`, inline: true };
  const buttons = actions
    .filter((action) => action.type === 'button')
    .map((button): EmbedField => ({
      name: cut(button.label, LIMITS.fieldName),
      value: `[${linkText(button.label)}](${buttonUrl(button, respondUrl)})`,
      inline: true,
    }));
  const fits = (fields: EmbedField[]): boolean =>
    fields.length <= LIMITS.fields && sizeOf(fields) <= room && fields.every((field) => field.value.length <= LIMITS.fieldValue);
  const all = actions.some((action) => action.type !== 'button') ? [...buttons, answer] : buttons;
  if (fits(all)) return all;
  const kept: EmbedField[] = [];
  for (const field of buttons) {
    if (!fits([...kept, field, answer])) break;
    kept.push(field);
  }
  return [...kept, answer];
}

function sizeOf(fields: EmbedField[]): number {
  return fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

function resultOfResponse(response: SafeResponse): SendResult {
  const status = response.status;
  if (status >= 200 && status < 300) {
    const created = CreatedMessage.safeParse(parseJson(response.body));
    return { kind: 'delivered', ...(created.success ? { providerRef: { discord_message_id: created.data.id } } : {}) };
  }
  const error = DiscordError.safeParse(parseJson(response.body));
  const said = error.success ? error.data : {};
  const message = `Discord answered ${status}${said.message ? `: ${said.message}` : ''}${said.code ? ` (code ${said.code})` : ''}`;
  if (status === 429) {
    const retryAfterMs = response.retryAfterMs ?? (said.retry_after === undefined ? undefined : Math.ceil(said.retry_after * 1000));
    return { kind: 'retry', code: 'RATE_LIMITED', message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message };
  if (status === 404 || said.code === UNKNOWN_WEBHOOK || said.code === INVALID_WEBHOOK_TOKEN) {
    return { kind: 'failed', code: 'WEBHOOK_GONE', message, deactivate: true };
  }
  if (status < 400) return { kind: 'failed', code: 'UNEXPECTED_STATUS', message };
  return { kind: 'failed', code: 'INVALID_PAYLOAD', message };
}

function resultOfRequestError(err: unknown, timeoutMs: number): SendResult {
  if (err instanceof UnsafeUrlError) return { kind: 'failed', code: 'UNSAFE_URL', message: `webhook URL refused: ${err.message}` };
  if (err instanceof RequestTimeoutError) {
    return { kind: 'retry', code: 'TIMEOUT', message: `Discord did not respond within ${timeoutMs / 1000} seconds` };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { kind: 'retry', code: 'CONNECTION_ERROR', message: `Discord could not be reached: ${detail}` };
}

/** The URL with `wait=true`; an unreadable URL is left for safePost to refuse. */
function withWait(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.set('wait', 'true');
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A label as a markdown link's text: brackets would end the link early. */
function linkText(label: string): string {
  return cut(label, LINK_TEXT_MAX_CHARS).replace(/[\\[\]]/g, '\\$&');
}

/** At most `max` UTF-16 units (Discord counts no more than that), ending in `…` when cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}


function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

import { createTransport } from 'nodemailer';
import type { DestinationSettings } from '@pingback/contracts';
import type { DestinationAdapter, SendResult } from './adapter';
import { renderEmail } from './email-content';

export interface EmailAdapterOptions {
  /** The operator's SMTP relay (trusted configuration: no address check). */
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. Default false. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** The sender, as `Pingback <pingback@example.com>` or a bare address. */
  from: string;
  /** Pooled SMTP connections at most; default 5. */
  maxConnections?: number;
  /** Per mail, from queueing in the pool to the server's final answer; default 10 s. */
  timeoutMs?: number;
}

type EmailDestination = DestinationSettings<'email'>;

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONNECTIONS = 5;

/** What nodemailer puts on its errors (see its smtp-connection `_formatError`). */
interface SmtpError {
  code?: string;
  /** The reply code of the server's answer that failed the mail, when there was one. */
  responseCode?: number;
  /** The server's whole reply line, e.g. `550 5.1.1 Mailbox not found`. */
  response?: string;
  /** The command that was answered: `MAIL FROM`, `RCPT TO`, `DATA`, `AUTH PLAIN`, … */
  command?: string;
  message?: string;
}

/** A 5xx to these is about the address or the message; to MAIL FROM or AUTH it is about our own account. */
const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** One multipart mail (text and HTML) per delivery, over a pool of SMTP connections to the operator's relay. */
export function createEmailAdapter(options: EmailAdapterOptions): DestinationAdapter<EmailDestination> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    auth: options.auth,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Our own mails carry no attachments: refuse any file or URL content rather than read one.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    kind: 'email',
    recipient: (destination) => destination.address,

    async send(destination, notification) {
      const content = renderEmail(notification);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: destination.address,
          subject: content.subject,
          text: content.text,
          html: content.html,
          priority: notification.priority,
          headers: {
            'X-Pingback-Message-Id': notification.messageId,
            'X-Pingback-Delivery-Id': notification.deliveryId,
          },
          // The pool drops a mail still queued and closes a connection stalled on it when this fires.
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { kind: 'delivered', providerRef: { smtp_message_id: info.messageId } };
      } catch (err) {
        return resultOfSmtpError(err as SmtpError, timeoutMs);
      }
    },

    async close() {
      // A mail in flight finishes first; none can stall past its own time limit.
      transport.close();
    },
  };
}

function resultOfSmtpError(err: SmtpError, timeoutMs: number): SendResult {
  if (err.code === 'EABORT' || err.code === 'ETIMEDOUT') {
    return { kind: 'retry', code: 'TIMEOUT', message: `the SMTP server did not respond within ${timeoutMs / 1000} seconds` };
  }
  const reply = err.response ?? err.message ?? 'no reply';
  const code = err.responseCode;
  // 503 is "bad sequence of commands": the session's state, not the mail; a new connection can take it.
  if (code !== undefined && code >= 500 && code !== 503) {
    if (err.command && RECIPIENT_COMMANDS.has(err.command)) {
      return { kind: 'failed', code: 'RECIPIENT_REJECTED', message: reply, bounced: true };
    }
    return { kind: 'failed', code: 'SMTP_REJECTED', message: `${err.command ?? 'SMTP'}: ${reply}` };
  }
  if (code !== undefined && code >= 400) return { kind: 'retry', code: 'TEMPORARY_FAILURE', message: reply };
  return { kind: 'retry', code: 'CONNECTION_ERROR', message: `the SMTP server could not be reached: ${err.message ?? String(err)}` };
}

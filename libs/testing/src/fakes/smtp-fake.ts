import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface SmtpFakeOptions {
  /** The mailboxes that exist; mail to any other address is refused with 550. */
  mailboxes?: string[];
  /** When given, the server offers AUTH (without TLS) and requires these credentials. */
  auth?: { user: string; pass: string };
}

export interface ReceivedMail {
  /** The From header as written. */
  from: string;
  /** The envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Header names lower-cased, values as written (unfolded). */
  headers: Record<string, string>;
}

export interface SmtpFake {
  /** smtp://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  /** Every mail the fake accepted, parsed, in order. */
  mails: ReceivedMail[];
  addMailbox(address: string): void;
  /** RCPT TO this mailbox answers 451 4.7.1 for its next `tries` attempts (all of them by default). */
  greylist(address: string, tries?: number): void;
  /** While on, the fake takes a message's data but never answers it (the client waits for the final reply). */
  stallData(on?: boolean): void;
  close(): Promise<void>;
}

/** RFC 5322 §3.6: every message has these; real relays refuse a message without them. */
const REQUIRED_HEADERS = ['from', 'date'];

/**
 * A local SMTP server (plain text on loopback, no STARTTLS) that knows its mailboxes: 550 5.1.1 for an unknown
 * one, 451 4.7.1 for a greylisted one. Each accepted mail is parsed as a mail client would (mailparser).
 */
export async function startSmtpFake(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
  const mailboxes = new Set((options.mailboxes ?? []).map(normalise));
  const greylisted = new Map<string, number>();
  const mails: ReceivedMail[] = [];
  let stalling = false;
  const auth = options.auth;

  const server = new SMTPServer({
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 200,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        callback(null, { user: credentials.username });
      } else {
        callback(withCode(535, '5.7.8 Authentication credentials invalid'));
      }
    },
    onRcptTo(address, _session, callback) {
      const mailbox = normalise(address.address);
      if (!mailboxes.has(mailbox)) return callback(withCode(550, '5.1.1 Mailbox not found'));
      const triesLeft = greylisted.get(mailbox) ?? 0;
      if (triesLeft > 0) {
        greylisted.set(mailbox, triesLeft - 1);
        return callback(withCode(451, '4.7.1 Greylisted, try again later'));
      }
      callback();
    },
    onData(stream, session, callback) {
      if (stalling) {
        stream.resume();
        return; // never answers: the client's time limit has to end it
      }
      receive(stream, session).then(
        (mail) => {
          const missing = REQUIRED_HEADERS.filter((name) => !(name in mail.headers));
          if (missing.length > 0) return callback(withCode(550, `5.6.0 Message lacks required header: ${missing.join(', ')}`));
          mails.push(mail);
          callback(null, 'Message accepted');
        },
        (err: unknown) => callback(withCode(554, `5.6.0 Message could not be parsed: ${String(err)}`)),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    mails,
    addMailbox: (address) => mailboxes.add(normalise(address)),
    greylist: (address, tries = Number.POSITIVE_INFINITY) => greylisted.set(normalise(address), tries),
    stallData: (on = true) => {
      stalling = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<ReceivedMail> {
  const parsed = await simpleParser(stream);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    headers[key.toLowerCase()] = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return {
    from: parsed.from?.text ?? '',
    to: session.envelope.rcptTo.map((recipient) => recipient.address),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html || '',
    headers,
  };
}

function withCode(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

function normalise(address: string): string {
  return address.trim().toLowerCase();
}

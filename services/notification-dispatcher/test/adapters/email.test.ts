import { freePort, startSmtpFake, type SmtpFake } from '@pingback/testing';
import type { OutgoingNotification } from '../../src/adapters/adapter';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';
import { createEmailAdapter } from '../../src/adapters/email.adapter';

const FROM = 'Pingback <pingback@example.com>';

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return sampleNotification({
    title: 'Deploy <prod> & "db"?',
    body: 'Release 1.2 is <b>ready</b>.\nShip it?',
    actions: [
      { type: 'button', label: 'Approve', key: 'approve', style: 'primary' },
      { type: 'button', label: 'Reject & roll back', key: 'reject', style: 'destructive' },
      { type: 'text', label: 'Why?', key: 'reason' },
    ],
    ...overrides,
  });
}

/** Every link of the HTML part as [href, text], in order. */
function links(html: string): [string, string][] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((match) => [match[1] ?? '', match[2] ?? '']);
}

describe('email adapter', () => {
  let fake: SmtpFake;
  let adapter: ReturnType<typeof createEmailAdapter>;

  beforeAll(async () => {
    fake = await startSmtpFake({ mailboxes: ['ops@example.com', 'grey@example.com'] });
    adapter = createEmailAdapter({ host: fake.host, port: fake.port, secure: false, from: FROM, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await adapter.close();
    await fake.close();
  });

  test('when the server accepts the mail, then it is delivered as text and HTML with escaped text and a link per button', async () => {
    const result = await adapter.send({ address: 'ops@example.com' }, notification());

    expect(result).toEqual({ kind: 'delivered', providerRef: { smtp_message_id: expect.stringMatching(/^<.+@.+>$/) } });
    const mail = fake.mails.at(-1)!;
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.from).toBe('"Pingback" <pingback@example.com>');
    expect(mail.subject).toBe('Deploy <prod> & "db"?');
    expect(mail.headers['x-pingback-message-id']).toBe('msg_01');
    expect(mail.headers['x-pingback-delivery-id']).toBe('dlv_01');
    expect(mail.headers['message-id']).toBe(result.kind === 'delivered' ? result.providerRef?.smtp_message_id : undefined);

    expect(mail.html).toContain('Deploy &lt;prod&gt; &amp; &quot;db&quot;?');
    expect(mail.html).toContain('Release 1.2 is &lt;b&gt;ready&lt;/b&gt;.<br>Ship it?');
    expect(mail.html).not.toContain('<b>ready');
    expect(links(mail.html)).toEqual([
      ['https://pingback.test/r/tok_abc?action=approve', 'Approve'],
      ['https://pingback.test/r/tok_abc?action=reject', 'Reject &amp; roll back'],
      ['https://pingback.test/r/tok_abc', 'Answer'],
    ]);
    expect(mail.html).toContain('This link expires on 2026-12-01 09:30 UTC.');

    expect(mail.text).toContain('Release 1.2 is <b>ready</b>.\nShip it?');
    expect(mail.text).toContain('Approve: https://pingback.test/r/tok_abc?action=approve');
    expect(mail.text).toContain('Reject & roll back: https://pingback.test/r/tok_abc?action=reject');
    expect(mail.text).toContain('Answer: https://pingback.test/r/tok_abc');
    expect(mail.text).toContain('This link expires on 2026-12-01 09:30 UTC.');
  });

  test('when the message has only buttons, then the mail has no Answer link', async () => {
    const result = await adapter.send(
      { address: 'ops@example.com' },
      notification({ body: null, actions: [{ type: 'button', label: 'OK', key: 'ok' }] }),
    );

    expect(result.kind).toBe('delivered');
    const mail = fake.mails.at(-1)!;
    expect(links(mail.html)).toEqual([['https://pingback.test/r/tok_abc?action=ok', 'OK']]);
    expect(mail.text).not.toContain('Answer');
  });

  test('when buttons carry their own links, then the mail links them there and the others to the respond page', async () => {
    const result = await adapter.send({ address: 'ops@example.com' }, notification({ actions: decisionButtons() }));

    expect(result.kind).toBe('delivered');
    const mail = fake.mails.at(-1)!;
    expect(links(mail.html)).toEqual([
      [APPROVE_URL, 'Approve'],
      [DENY_URL, 'Deny'],
      ['https://pingback.test/r/tok_abc?action=snooze', 'Snooze'],
    ]);
    expect(mail.text).toContain(`Approve: ${APPROVE_URL}\nDeny: ${DENY_URL}\nSnooze: https://pingback.test/r/tok_abc?action=snooze\n`);
  });

  test('when the server answers 550 to the recipient, then the delivery fails as bounced', async () => {
    const before = fake.mails.length;

    const result = await adapter.send({ address: 'nobody@example.com' }, notification());

    expect(result).toEqual({ kind: 'failed', code: 'RECIPIENT_REJECTED', message: '550 5.1.1 Mailbox not found', bounced: true });
    expect(fake.mails).toHaveLength(before);
  });

  test('when the mailbox is greylisted (451), then the send is retried and a later attempt is delivered', async () => {
    fake.greylist('grey@example.com', 1);

    const first = await adapter.send({ address: 'grey@example.com' }, notification());
    const second = await adapter.send({ address: 'grey@example.com' }, notification({ attempt: 2 }));

    expect(first).toEqual({ kind: 'retry', code: 'TEMPORARY_FAILURE', message: '451 4.7.1 Greylisted, try again later' });
    expect(second.kind).toBe('delivered');
    expect(fake.mails.at(-1)!.to).toEqual(['grey@example.com']);
  });

  test('when the server never answers the data past the time limit, then the send is retried as TIMEOUT', async () => {
    const impatient = createEmailAdapter({ host: fake.host, port: fake.port, from: FROM, timeoutMs: 500 });
    fake.stallData();
    try {
      const started = Date.now();
      const result = await impatient.send({ address: 'ops@example.com' }, notification());

      expect(result).toEqual({ kind: 'retry', code: 'TIMEOUT', message: 'the SMTP server did not respond within 0.5 seconds' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      fake.stallData(false);
    }
    // The stalled connection was dropped: the pool delivers the next mail on a fresh one.
    expect((await impatient.send({ address: 'ops@example.com' }, notification())).kind).toBe('delivered');
    await impatient.close();
  });

  test('when no SMTP server listens, then the send is retried', async () => {
    const nowhere = createEmailAdapter({ host: '127.0.0.1', port: await freePort(), from: FROM, timeoutMs: 2_000 });

    const result = await nowhere.send({ address: 'ops@example.com' }, notification());

    expect(result).toMatchObject({ kind: 'retry', code: 'CONNECTION_ERROR' });
    await nowhere.close();
  });

  test('when the relay requires credentials, then the right ones deliver and wrong ones fail without blaming the recipient', async () => {
    const relay = await startSmtpFake({ mailboxes: ['ops@example.com'], auth: { user: 'relay', pass: 'right' } });
    const good = createEmailAdapter({ host: relay.host, port: relay.port, from: FROM, auth: { user: 'relay', pass: 'right' } });
    const bad = createEmailAdapter({ host: relay.host, port: relay.port, from: FROM, auth: { user: 'relay', pass: 'wrong' } });
    try {
      expect((await good.send({ address: 'ops@example.com' }, notification())).kind).toBe('delivered');
      const refused = await bad.send({ address: 'ops@example.com' }, notification());
      expect(refused).toMatchObject({ kind: 'failed', code: 'SMTP_REJECTED' });
      expect(refused).not.toHaveProperty('bounced');
      expect(JSON.stringify(refused)).not.toContain('wrong');
      expect(relay.mails).toHaveLength(1);
    } finally {
      await good.close();
      await bad.close();
      await relay.close();
    }
  });

  test('recipient is the address', () => {
    expect(adapter.recipient({ address: 'ops@example.com' })).toBe('ops@example.com');
  });
});

import { Writable } from 'node:stream';
import { createLogger } from '@pingback/observability';

/** A logger as every service makes it, writing into an array instead of stdout. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger('test-service', 'info', sink), lines };
}

const SIGNING_SECRET = 'whsec_9f3Kq+Zx/0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1=';

describe('createLogger: no secret reaches a log line, wherever it stands', () => {
  test('when a URL with a whsec_ secret in its query is logged, then the secret is masked and the rest kept', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ url: `https://hooks.example.com/in?sig=${encodeURIComponent(SIGNING_SECRET)}&team=ops` }, 'posting');
    const line = JSON.parse(lines[0]!) as { url: string };
    expect(line.url).toBe('https://hooks.example.com/in?sig=whsec_[REDACTED]&team=ops');
  });

  test('when secrets turn up in the message, in nested fields, in bindings and in an error, then each is masked', () => {
    const { logger, lines } = capturedLogger();
    const child = logger.child({ caller: 'pbk_LEAKINBINDING0000' });
    child.warn({ attempt: { target: `callback with pbt_LEAKNESTED0000 and ${SIGNING_SECRET}` } }, 'sent whk_LEAKINMESSAGE00');
    child.error({ err: new Error(`refused key pbk_LEAKINERROR00000`) }, 'failed');
    const output = lines.join('');
    expect(lines).toHaveLength(2);
    expect(output).not.toMatch(/LEAK|9f3Kq/);
    expect(output).toContain('pbk_[REDACTED]');
    expect(output).toContain('pbt_[REDACTED]');
    expect(output).toContain('whsec_[REDACTED]');
    expect(output).toContain('whk_[REDACTED]');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  test('when the Authorization header is logged, then the path-based redaction still applies', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ req: { headers: { authorization: 'Bearer not-prefixed-secret', host: 'x' } } }, 'incoming');
    expect(lines[0]).not.toContain('not-prefixed-secret');
    expect(lines[0]).toContain('"host":"x"');
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import { LOG_REDACT_PATHS, REDACTED, redactSecrets, redactTargetUrl, redactUrl } from '@pingback/security';

describe('redactUrl', () => {
  test.each([
    ['/v1/send/pbt_SECRET', `/v1/send/${REDACTED}`],
    ['/v1/send/pbt_SECRET?x=1', `/v1/send/${REDACTED}?x=1`],
    ['/v1/callback/pbt_SECRET/msg_01ABC', `/v1/callback/${REDACTED}/msg_01ABC`],
    ['/r/dlv_01ABC.SIGNATURE22chars_______', `/r/${REDACTED}`],
    ['/r/dlv_01ABC.SIG/', `/r/${REDACTED}/`],
    ['/inbox/ch_01ABC.SIGNATURE', `/inbox/${REDACTED}`],
    ['/a/apr_01ABC~rvw_01DEF~approve.SIGNATURE', `/a/${REDACTED}`],
    ['/api/approvals/apr_01ABC', '/api/approvals/apr_01ABC'],
    ['/api/webhooks/ABC123/whk_SECRET', `/api/webhooks/ABC123/${REDACTED}`],
    ['/api/webhooks/ABC123/whk_SECRET?message=hi', `/api/webhooks/ABC123/${REDACTED}?message=hi`],
    ['/shk?key=pbk_SECRET&stage=build', `/shk?key=${REDACTED}&stage=build`],
    ['/api/workflows?limit=5&KEY=pbk_SECRET', `/api/workflows?limit=5&KEY=${REDACTED}`],
    ['/hbk?access_token=pbk_SECRET', `/hbk?access_token=${REDACTED}`],
    ['/x?%6Bey=pbk_SECRET', `/x?%6Bey=${REDACTED}`],
    ['https://pingback.example.com/v1/send/pbt_SECRET?key=pbk_SECRET#frag', `https://pingback.example.com/v1/send/${REDACTED}?key=${REDACTED}#frag`],
    ['https://hooks.example.com/in?sig=whsec_SECRET%2Bab%3D&team=ops', `https://hooks.example.com/in?sig=whsec_${REDACTED}&team=ops`],
    ['https://hooks.example.com/in?a=1&b=pbk_SECRET', `https://hooks.example.com/in?a=1&b=pbk_${REDACTED}`],
    ['https://hooks.example.com/pbt_SECRET/in', `https://hooks.example.com/pbt_${REDACTED}`],
    ['https://hooks.example.com/in?to=whk_SECRET#whsec_SECRET', `https://hooks.example.com/in?to=whk_${REDACTED}#whsec_${REDACTED}`],
  ])('when the URL is %s, then it logs as %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toContain('SECRET');
  });

  test.each(['/api/channels/ch_01ABC', '/healthz', '/api/messages/msg_01ABC?cursor=abc&limit=10', 'https://example.com/keys?monkey=1'])(
    'when the URL carries no credential (%s), then it is unchanged',
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );
});

describe('redactSecrets', () => {
  test.each([
    ['Bearer pbk_SECRET', `Bearer pbk_${REDACTED}`],
    ['token=pbt_SECRET-_x, secret whsec_SECRET+/=', `token=pbt_${REDACTED}, secret whsec_${REDACTED}`],
    ['encoded %2Fwhk_SECRET', `encoded %2Fwhk_${REDACTED}`],
  ])('when the text is %s, then every secret-shaped value is masked', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  test('when the text carries no secret shape, then it is unchanged', () => {
    expect(redactSecrets('delivered msg_01ABC to ch_01DEF (dlv_01GHI), 3 attempts')).toBe('delivered msg_01ABC to ch_01DEF (dlv_01GHI), 3 attempts');
  });
});

describe('LOG_REDACT_PATHS', () => {
  test('when pino logs requests and configs with these paths, then no credential reaches the output', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino({ redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED } }, sink);

    logger.info({ req: { method: 'GET', headers: { authorization: 'Bearer pbk_LEAK1', cookie: 'access_token=LEAK2', host: 'x' } } }, 'incoming');
    logger.info({ headers: { Authorization: 'Bearer LEAK3', 'content-type': 'application/json' } }, 'outgoing');
    logger.info({ destination: { headers: { authorization: 'Bot LEAK4' } }, api_key: 'pbk_LEAK5' }, 'nested');
    logger.info({ channel: { id: 'ch_1', token: 'pbt_LEAK6', signing_secret: 'whsec_LEAK7' } }, 'created');
    logger.info({ config: { PINGBACK_SECRET_KEY: 'LEAK8', PINGBACK_ADMIN_KEY: 'LEAK9', PORT: 8080 } }, 'config');
    logger.info({ req: { headers: { 'x-pingback-internal': 'LEAK10' } }, call: { headers: { 'x-pingback-internal': 'LEAK11' } } }, 'internal call');

    const output = lines.join('');
    expect(lines).toHaveLength(6);
    expect(output).not.toMatch(/LEAK/);
    expect(output).toContain('"host":"x"');
    expect(output).toContain('"content-type":"application/json"');
    expect(output).toContain('"PORT":8080');
    expect(output.split(REDACTED).length - 1).toBe(11);
  });
});

describe('redactTargetUrl', () => {
  test.each([
    ['https://hooks.slack.test/services/T000/B000/XoXSLACKSECRETxyz', 'https://hooks.slack.test/…'],
    ['https://user:pass@ops.example:8443/hook?token=abc', 'https://ops.example:8443/…'],
    ['https://ops.example/', 'https://ops.example'],
    ['not a url', REDACTED],
  ])('when %s is logged, then it reads %s', (url, expected) => {
    expect(redactTargetUrl(url)).toBe(expected);
  });
});

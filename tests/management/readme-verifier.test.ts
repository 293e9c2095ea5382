import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@pingback/testing';
import { verifyWebhook as seedVerifier } from '../seed-clients/verify-webhook.cjs';

type Verifier = (req: { headers: Record<string, string | undefined>; body: unknown }, secret: string) => boolean;

/** The Node verifier exactly as the README shows it, so the README cannot drift from what is tested. */
function readmeVerifier(): Verifier {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf("Node (seed 003's verifier"));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("README.md: no js block after \"Node (seed 003's verifier\"");
  return new Function('require', `${code}\nreturn verifyWebhook;`)(require) as Verifier;
}

const secret = 'whsec_dGVzdCBzZWNyZXQgZm9yIHRoZSByZWFkbWUgdmVyaWZpZXI=';
const body = { message_id: 'msg_1', triggered_by: 'deploy', responses: { amount: 0.00001 } };

function signed(timestamp = String(Math.floor(Date.now() / 1000))) {
  const signature = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${JSON.stringify(body)}`).digest('hex');
  return { 'x-pingback-signature': signature, 'x-pingback-timestamp': timestamp };
}

describe("the README's Node webhook verifier", () => {
  const verify = readmeVerifier();

  test('when the request is signed with the secret, then true', () => {
    expect(verify({ headers: signed(), body }, secret)).toBe(true);
  });

  test.each([
    ['the signature header is missing', { 'x-pingback-timestamp': signed()['x-pingback-timestamp'] }],
    ['the timestamp header is missing', { 'x-pingback-signature': signed()['x-pingback-signature'] }],
    ['no header is there', {}],
    ['the signature is short', { ...signed(), 'x-pingback-signature': 'sha256=abc' }],
    ['the signature is another of the same length', { ...signed(), 'x-pingback-signature': signed()['x-pingback-signature'].replace(/.$/, (c) => (c === '0' ? '1' : '0')) }],
    ['the signature has as many characters but more bytes', { ...signed(), 'x-pingback-signature': signed()['x-pingback-signature'].replace(/.$/, 'é') }],
    ['the timestamp is 10 minutes old', signed(String(Math.floor(Date.now() / 1000) - 600))],
    ['the timestamp is not a number', { ...signed(), 'x-pingback-timestamp': 'soon' }],
  ])('when %s, then false, without throwing', (_case, headers) => {
    expect(verify({ headers, body }, secret)).toBe(false);
  });

  test("when the signature is short, then seed 003's verbatim verifier throws (why the README's differs)", () => {
    expect(() => seedVerifier({ headers: { ...signed(), 'x-pingback-signature': 'sha256=abc' }, body }, secret)).toThrow();
  });
});

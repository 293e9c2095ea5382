import { gzipSync } from 'node:zlib';

/** A request body exactly as it goes on the wire, with the headers that describe it. */
export interface RawBody {
  body: string | Buffer;
  headers: Record<string, string>;
}

export interface Expected {
  status: number;
  error: string;
}

export const VALIDATION_FAILED: Expected = { status: 400, error: 'validation_failed' };
export const INVALID_JSON: Expected = { status: 400, error: 'invalid_json' };
export const UNSUPPORTED: Expected = { status: 415, error: 'unsupported_media_type' };
export const TOO_LARGE: Expected = { status: 413, error: 'payload_too_large' };

export type HostileCase = [name: string, body: RawBody, expected: Expected];

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
const ESCAPE_SEQUENCE = 'clear \u001b[2J the screen';
const ONE_MIB = 1024 * 1024;

export const json = (text: string | Buffer, extraHeaders: Record<string, string> = {}): RawBody => ({
  body: text,
  headers: { 'content-type': 'application/json', ...extraHeaders },
});
export const form = (text: string): RawBody => ({ body: text, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const encoded = (encoding: string, bytes: Buffer, contentType = 'application/json'): RawBody => ({
  body: bytes,
  headers: { 'content-type': contentType, 'content-encoding': encoding },
});

/** `{"a":{"a":…1…}}` nested `levels` deep, written as text: JSON.stringify itself would overflow the stack. */
export const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * The JSON text of `valid` with one more member written in by hand, so that what JSON.stringify cannot write
 * (1e400, a second "__proto__", ten thousand levels) goes on the wire as it is.
 */
export const withMember = (valid: Record<string, unknown>, member: string) => JSON.stringify(valid).replace(/^\{/, `{${member},`);

/** Hostile variants of a JSON route's valid body; `field` names a text field the route stores. */
export function hostileJsonBodies(valid: Record<string, unknown>, field: string): HostileCase[] {
  const withField = (value: unknown) => json(JSON.stringify({ ...valid, [field]: value }));
  const text = JSON.stringify(valid);
  return [
    [`a NUL in ${field}`, withField(`a${NUL}b`), VALIDATION_FAILED],
    [`an unpaired surrogate in ${field}`, withField(`a${LONE_SURROGATE}b`), VALIDATION_FAILED],
    [`a terminal escape sequence in ${field}`, withField(ESCAPE_SEQUENCE), VALIDATION_FAILED],
    [`${field} as a number`, withField(12), VALIDATION_FAILED],
    [`${field} as an object`, withField({ text: 'x' }), VALIDATION_FAILED],
    ['a NUL in a key of an unknown field', json(withMember(valid, '"extra\\u0000":1')), VALIDATION_FAILED],
    ['a NUL inside an unknown field', json(withMember(valid, '"extra":{"note":["a\\u0000b"]}')), VALIDATION_FAILED],
    ['a "__proto__" key', json(withMember(valid, '"__proto__":{"polluted":true}')), VALIDATION_FAILED],
    ['a "__proto__" key in a nested object', json(withMember(valid, '"extra":{"__proto__":{"polluted":true}}')), VALIDATION_FAILED],
    ['a number too large to be finite (1e400)', json(withMember(valid, '"extra":1e400')), VALIDATION_FAILED],
    ['nesting 2,000 levels deep', json(withMember(valid, `"extra":${nestedJson(2_000)}`)), VALIDATION_FAILED],
    ['the body as an array', json(`[${text}]`), VALIDATION_FAILED],
    ['the body as a bare JSON string', json('"hello"'), INVALID_JSON],
    ['JSON cut short', json(text.slice(0, -1)), INVALID_JSON],
    ['a corrupt gzip body', encoded('gzip', Buffer.from('this is not gzip')), INVALID_JSON],
    ['a gzip body cut short', encoded('gzip', gzipSync(text).subarray(0, 12)), INVALID_JSON],
    ['a corrupt deflate body', encoded('deflate', Buffer.from('this is not deflate')), INVALID_JSON],
    ['a corrupt br body', encoded('br', Buffer.from('this is not brotli!!')), INVALID_JSON],
    ['an unsupported Content-Encoding', encoded('compress', Buffer.from(text)), UNSUPPORTED],
    ['a body of 1 MiB', json(withMember(valid, `"padding":"${'x'.repeat(ONE_MIB)}"`)), TOO_LARGE],
    ['a small gzip body that inflates to 4 MiB', encoded('gzip', gzipSync(withMember(valid, `"padding":"${' '.repeat(4 * ONE_MIB)}"`))), TOO_LARGE],
  ];
}

/** What only a send carries: actions, data and numbers. */
export function hostileSendBodies(valid: Record<string, unknown>): HostileCase[] {
  const send = (extra: Record<string, unknown>) => json(JSON.stringify({ ...valid, ...extra }));
  const button = { type: 'button', label: 'Go', key: 'go' };
  return [
    ['a NUL in the body', send({ body: `line${NUL}` }), VALIDATION_FAILED],
    ['a NUL in an action label', send({ actions: [{ ...button, label: `Go${NUL}` }] }), VALIDATION_FAILED],
    ['a NUL in a select option', send({ actions: [{ type: 'select', label: 'Env', key: 'env', options: [{ label: 'A', value: `a${NUL}` }] }, button] }), VALIDATION_FAILED],
    ['a NUL in a placeholder', send({ actions: [{ type: 'text', label: 'Note', key: 'note', placeholder: NUL }, button] }), VALIDATION_FAILED],
    ['a NUL in a data key', send({ data: { [`k${NUL}`]: 1 } }), VALIDATION_FAILED],
    ['a NUL in a data value four levels down', send({ data: { a: { b: { c: [`x${NUL}`] } } } }), VALIDATION_FAILED],
    ['an unpaired surrogate in a data key', send({ data: { [LONE_SURROGATE]: 1 } }), VALIDATION_FAILED],
    ['a "__proto__" key in data', json(withMember(valid, '"data":{"__proto__":{"polluted":true}}')), VALIDATION_FAILED],
    ['data nested 2,000 levels deep', json(withMember(valid, `"data":${nestedJson(2_000)}`)), VALIDATION_FAILED],
    ['data nested 33 levels deep', json(withMember(valid, `"data":${nestedJson(33)}`)), VALIDATION_FAILED],
    ['expires_in of 1e400', json(withMember(valid, '"expires_in":1e400')), VALIDATION_FAILED],
    ['expires_in as a string', send({ expires_in: '3600' }), VALIDATION_FAILED],
    ['actions as an object', send({ actions: { type: 'button' } }), VALIDATION_FAILED],
    ['an action of an unknown type', send({ actions: [{ ...button, type: 'slider' }] }), VALIDATION_FAILED],
    ['data as an array', send({ data: [1, 2] }), VALIDATION_FAILED],
    ['an action keyed "__proto__"', send({ actions: [{ ...button, key: '__proto__' }] }), VALIDATION_FAILED],
    ['a callback_url with a NUL', send({ callback_url: `https://example.com/${NUL}` }), VALIDATION_FAILED],
  ];
}

/** What only an answer carries: responses, as JSON. */
export function hostileAnswerBodies(valid: Record<string, unknown>): HostileCase[] {
  const answer = (extra: Record<string, unknown>) => json(JSON.stringify({ ...valid, ...extra }));
  // A member written in by hand comes first, and a later one of the same name would win over it.
  const { responses: _responses, ...withoutResponses } = valid;
  return [
    ['a NUL in a text answer', answer({ responses: { note: `looks good${NUL}` } }), VALIDATION_FAILED],
    ['an unpaired surrogate in a text answer', answer({ responses: { note: `looks good${LONE_SURROGATE}` } }), VALIDATION_FAILED],
    ['a NUL in a responses key', answer({ responses: { [`note${NUL}`]: 'hi' } }), VALIDATION_FAILED],
    ['a "__proto__" key in responses', json(withMember(withoutResponses, '"responses":{"__proto__":"x"}')), VALIDATION_FAILED],
    ['a response as a number', answer({ responses: { note: 42 } }), VALIDATION_FAILED],
    ['responses as an array', answer({ responses: ['staging'] }), VALIDATION_FAILED],
  ];
}

/** The respond page's own form (urlencoded), with hostile fields. */
export function hostileFormBodies(): HostileCase[] {
  return [
    ['a NUL in triggered_by', form('triggered_by=deploy%00'), VALIDATION_FAILED],
    ['a terminal escape sequence in triggered_by', form('triggered_by=deploy%1B%5B2J'), VALIDATION_FAILED],
    ['a NUL in a text answer', form('triggered_by=deploy&responses.note=hi%00'), VALIDATION_FAILED],
    ['a NUL in a response name', form('triggered_by=deploy&responses.no%00te=hi'), VALIDATION_FAILED],
    ['a corrupt gzip form', encoded('gzip', Buffer.from('this is not gzip'), 'application/x-www-form-urlencoded'), INVALID_JSON],
    ['a form of 1 MiB', form(`triggered_by=deploy&responses.note=${'x'.repeat(ONE_MIB)}`), TOO_LARGE],
  ];
}

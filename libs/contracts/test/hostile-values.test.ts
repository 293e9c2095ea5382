import { AnswerRequest, CreateAccountRequest, CreateApiKeyRequest, CreateChannelRequest, DEFAULT_LIMITS, DestinationInput, findJsonProblems, makeSendRequest } from '../src';
import type { z } from 'zod';

const SendRequest = makeSendRequest();

/** `{ a: { a: … } }` nested `levels` deep, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  for (let i = 1; i < levels; i += 1) {
    const next: Record<string, unknown> = {};
    current.a = next;
    current = next;
  }
  return root;
}

function fieldsOf(schema: z.ZodType, value: unknown): { path: string; message: string }[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const NUL = '\u0000';
const LONE_SURROGATE = JSON.parse('"\\ud800"') as string;
const button = (label: string) => ({ type: 'button', label, key: 'go' });

describe('what Postgres cannot store is refused by every public contract', () => {
  const cases: [string, z.ZodType, unknown, string][] = [
    ['a NUL in a send title', SendRequest, { title: `a${NUL}b` }, 'title'],
    ['an unpaired surrogate in a send title', SendRequest, { title: `a${LONE_SURROGATE}` }, 'title'],
    ['a NUL in a send body', SendRequest, { title: 'x', body: NUL }, 'body'],
    ['a NUL in an action label', SendRequest, { title: 'x', actions: [button(`Go${NUL}`)] }, 'actions.0.label'],
    [
      'a NUL in a select option',
      SendRequest,
      { title: 'x', actions: [{ type: 'select', label: 'Env', key: 'env', options: [{ label: 'A', value: `a${NUL}` }] }, button('Go')] },
      'actions.0.options.0.value',
    ],
    ['a NUL in a placeholder', SendRequest, { title: 'x', actions: [{ type: 'text', label: 'Note', key: 'n', placeholder: NUL }, button('Go')] }, 'actions.0.placeholder'],
    ['a NUL in an action key', SendRequest, { title: 'x', actions: [{ type: 'button', label: 'Go', key: `go${NUL}` }] }, 'actions.0.key'],
    ['a NUL in a callback_url', SendRequest, { title: 'x', callback_url: `https://example.com/${NUL}` }, 'callback_url'],
    ['a NUL in a data key', SendRequest, { title: 'x', data: { [`k${NUL}`]: 1 } }, `data.k${NUL}`],
    ['a NUL in a data value three levels down', SendRequest, { title: 'x', data: { a: { b: [`x${NUL}`] } } }, 'data.a.b.0'],
    ['an unpaired surrogate in a data key', SendRequest, { title: 'x', data: { [LONE_SURROGATE]: 1 } }, `data.${LONE_SURROGATE}`],
    ['a NUL in triggered_by', AnswerRequest, { triggered_by: `go${NUL}` }, 'triggered_by'],
    ['a NUL in a text answer', AnswerRequest, { triggered_by: 'go', responses: { note: `hi${NUL}` } }, 'responses.note'],
    ['a NUL in a responses key', AnswerRequest, { triggered_by: 'go', responses: { [`n${NUL}`]: 'hi' } }, `responses.n${NUL}`],
    ['a NUL in an account name', CreateAccountRequest, { name: `Acme${NUL}` }, 'name'],
    ['a NUL in an API key name', CreateApiKeyRequest, { name: `ci${NUL}` }, 'name'],
    ['a NUL in a channel name', CreateChannelRequest, { name: `Ops${NUL}` }, 'name'],
    ['a NUL in a destination url', DestinationInput, { type: 'webhook', url: `https://example.com/${NUL}` }, 'url'],
    ['a NUL in a destination url of a new channel', CreateChannelRequest, { name: 'Ops', destinations: [{ type: 'webhook', url: `https://e.com/${NUL}` }] }, 'destinations.0.url'],
  ];

  test.each(cases)('when %s, then that field is refused', (_name, schema, value, path) => {
    expect(fieldsOf(schema, value)).toContainEqual({ path, message: expect.stringMatching(/NUL|Unicode|1-64 characters/) });
  });
});

describe('text for people', () => {
  test('when a title, label or name holds a control character, then it is refused; tab and line breaks are fine', () => {
    expect(fieldsOf(SendRequest, { title: 'Deploy \u001b[31mnow' })).toEqual([
      { path: 'title', message: 'must not contain control characters other than tab and line breaks' },
    ]);
    expect(fieldsOf(CreateChannelRequest, { name: 'Ops\u0007' })).toEqual([{ path: 'name', message: expect.stringContaining('control characters') }]);
    expect(fieldsOf(SendRequest, { title: 'Deploy\tnow', body: 'line one\r\nline two', actions: [button('Go')] })).toEqual([]);
    expect(fieldsOf(AnswerRequest, { triggered_by: 'go', responses: { note: 'first line\nsecond line' } })).toEqual([]);
  });

  test('when text is well-formed Unicode beyond the BMP, then it is accepted', () => {
    expect(fieldsOf(SendRequest, { title: 'Ship it 🚀', data: { emoji: '👍' } })).toEqual([]);
  });
});

describe('data and responses as they arrived', () => {
  test('when data nests thousands of levels deep, then it is refused at the depth limit without blowing the stack', () => {
    const fields = fieldsOf(SendRequest, { title: 'x', data: nested(10_000) });
    expect(fields).toEqual([{ path: `data${'.a'.repeat(DEFAULT_LIMITS.jsonDepth)}`, message: 'must not be nested more than 32 levels deep' }]);
  });

  test('when data nests exactly as deep as the limit, then it is accepted', () => {
    expect(fieldsOf(SendRequest, { title: 'x', data: nested(DEFAULT_LIMITS.jsonDepth) })).toEqual([]);
    expect(fieldsOf(SendRequest, { title: 'x', data: nested(DEFAULT_LIMITS.jsonDepth + 1) })).toHaveLength(1);
  });

  test('when the depth limit is configured, then the send schema follows it', () => {
    const shallow = makeSendRequest({ ...DEFAULT_LIMITS, jsonDepth: 2 });
    expect(fieldsOf(shallow, { title: 'x', data: { a: { b: 1 } } })).toEqual([]);
    expect(fieldsOf(shallow, { title: 'x', data: { a: { b: { c: 1 } } } })).toEqual([{ path: 'data.a.b', message: 'must not be nested more than 2 levels deep' }]);
  });

  test('when data or responses carry a "__proto__" key, then it is refused rather than silently dropped', () => {
    const send = JSON.parse('{"title":"x","data":{"__proto__":{"polluted":true},"constructor":{"prototype":1}}}') as unknown;
    expect(fieldsOf(SendRequest, send)).toEqual([{ path: 'data.__proto__', message: 'the key "__proto__" is not allowed' }]);
    const answer = JSON.parse('{"triggered_by":"go","responses":{"__proto__":"x"}}') as unknown;
    expect(fieldsOf(AnswerRequest, answer)).toEqual([{ path: 'responses.__proto__', message: 'the key "__proto__" is not allowed' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('when an action is keyed "__proto__", then the send is refused: an answer could never name it', () => {
    expect(fieldsOf(SendRequest, { title: 'x', actions: [{ type: 'button', label: 'Go', key: '__proto__' }] })).toEqual([
      { path: 'actions.0.key', message: 'must not be "__proto__"' },
    ]);
  });

  test('when data carries a "constructor" key, then it is kept as data', () => {
    const parsed = SendRequest.parse(JSON.parse('{"title":"x","data":{"constructor":{"prototype":1}}}'));
    expect(JSON.stringify(parsed.data)).toBe('{"constructor":{"prototype":1}}');
  });

  test('when a number is too large to be finite (1e400), then it is refused, in data and in expires_in', () => {
    const body = JSON.parse('{"title":"x","expires_in":1e400,"data":{"n":-1e400}}') as unknown;
    expect(fieldsOf(SendRequest, body)).toEqual(
      expect.arrayContaining([
        { path: 'expires_in', message: 'must be a finite number' },
        { path: 'data.n', message: 'must be a finite number' },
      ]),
    );
  });

  test('when a body holds thousands of bad values, then only the first 20 are reported', () => {
    const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, NUL]));
    expect(findJsonProblems(data, { maxDepth: 32 })).toHaveLength(20);
  });
});

describe('messages in our own words, never zod’s', () => {
  const cases: [string, z.ZodType, unknown, { path: string; message: string }][] = [
    ['a field is missing', SendRequest, {}, { path: 'title', message: 'is required' }],
    ['a string is a number', SendRequest, { title: 5 }, { path: 'title', message: 'must be a string' }],
    ['a string is empty', SendRequest, { title: '  ' }, { path: 'title', message: 'must not be empty' }],
    ['a string is too long', SendRequest, { title: 'x'.repeat(201) }, { path: 'title', message: 'must be at most 200 characters' }],
    ['an enum value is unknown', SendRequest, { title: 'x', priority: 'urgent' }, { path: 'priority', message: 'must be one of: low, normal, high' }],
    ['an action type is unknown', SendRequest, { title: 'x', actions: [{ type: 'slider', label: 'a', key: 'a' }] }, { path: 'actions.0.type', message: 'must be one of: button, select, text' }],
    ['an action has no type', SendRequest, { title: 'x', actions: [{ label: 'a', key: 'a' }] }, { path: 'actions.0.type', message: 'is required (one of: button, select, text)' }],
    ['an array is an object', SendRequest, { title: 'x', actions: {} }, { path: 'actions', message: 'must be an array' }],
    ['an object is an array', SendRequest, { title: 'x', data: [1] }, { path: 'data', message: 'must be an object' }],
    ['the body is an array', SendRequest, [], { path: '', message: 'must be an object' }],
    ['a whole number has a fraction', SendRequest, { title: 'x', expires_in: 90.5 }, { path: 'expires_in', message: 'must be a whole number' }],
    ['a number is below its minimum', SendRequest, { title: 'x', expires_in: 1 }, { path: 'expires_in', message: 'must be at least 60' }],
    ['too many items', SendRequest, { title: 'x', actions: Array.from({ length: 11 }, (_, i) => ({ type: 'button', label: 'b', key: `b${i}` })) }, { path: 'actions', message: 'must have at most 10 items' }],
    ['a boolean is a string', SendRequest, { title: true }, { path: 'title', message: 'must be a string' }],
    ['a response is a number', AnswerRequest, { triggered_by: 'go', responses: { a: 1 } }, { path: 'responses.a', message: 'must be a string' }],
  ];

  test.each(cases)('when %s, then the field says so plainly', (_name, schema, value, expected) => {
    const fields = fieldsOf(schema, value);
    expect(fields).toContainEqual(expected);
    for (const field of fields) expect(field.message).not.toMatch(/Invalid|expected .*received|discriminator/i);
  });
});

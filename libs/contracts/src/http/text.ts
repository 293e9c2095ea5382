import { z } from 'zod';

// Postgres cannot store a NUL at all (text refuses the byte, jsonb the escape), and it stores a UTF-16 surrogate
// without its pair (JSON.parse makes one from "\ud800") as U+FFFD in text and refuses it in jsonb. Either would
// turn an accepted request into a lost or altered one, so both are refused at the edge (CONTRACT §4).
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Control characters (Unicode Cc) but tab, line feed and carriage return: never part of text meant for people,
// and an escape sequence in a title could repaint the terminal of whoever reads it.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why Postgres could not store `text` as it is, or undefined when it can. */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it has an unpaired surrogate)';
  return undefined;
}

/** Why `text` is not fit to show people, or undefined when it is. */
export function plainTextProblem(text: string): string | undefined {
  return unstorableTextProblem(text) ?? (CONTROL.test(text) ? 'must not contain control characters other than tab and line breaks' : undefined);
}

const checkedWith = (problemOf: (text: string) => string | undefined) =>
  z.string().check((ctx) => {
    const problem = problemOf(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

/**
 * A text field of a request (titles, bodies, labels, options, names, URLs, answers): storable, and no control
 * characters but tab and line breaks. Only `data`, the sender's own, keeps every character Postgres can store.
 */
export const plainText = () => checkedWith(plainTextProblem);

// eslint-disable-next-line no-control-regex
const NO_SPACE_OR_CONTROL = /^[^\s\u0000-\u001f\u007f-\u009f]+$/;

/**
 * A URL Pingback will POST to (a callback, an events URL): no whitespace or control character anywhere, since a URL
 * has none and a stored one must be the one that is sent.
 */
export const postTargetUrl = () => z.string().min(1).max(2_048).regex(NO_SPACE_OR_CONTROL, 'must be a URL without spaces or control characters');

import { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null',
  date: 'a date',
};

const FORMAT_NAMES: Record<string, string> = {
  url: 'a URL',
  email: 'an email address',
  uuid: 'a UUID',
  datetime: 'an RFC 3339 date and time',
  date: 'a date (YYYY-MM-DD)',
  ulid: 'a ULID',
};

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
const oneOf = (values: readonly unknown[]) => (values.length === 1 ? `must be ${shown(values[0])}` : `must be one of: ${values.map(shown).join(', ')}`);
const plural = (count: number | bigint, word: string) => `${count} ${word}${count === 1 || count === 1n ? '' : 's'}`;

function sizeMessage(bound: 'least' | 'most', issue: { origin: string; inclusive?: boolean; exact?: boolean }, limit: number | bigint): string {
  const exact = issue.exact ? 'exactly' : `at ${bound}`;
  switch (issue.origin) {
    case 'string':
      return bound === 'least' && limit === 1 && !issue.exact ? 'must not be empty' : `must be ${exact} ${plural(limit, 'character')}`;
    case 'array':
    case 'set':
      return bound === 'least' && limit === 1 && !issue.exact ? 'must not be empty' : `must have ${exact} ${plural(limit, 'item')}`;
    case 'file':
      return `must be ${exact} ${plural(limit, 'byte')}`;
    default:
      if (issue.inclusive === false) return `must be ${bound === 'least' ? 'greater' : 'less'} than ${limit}`;
      return `must be ${exact} ${limit}`;
  }
}

/**
 * Our own wording for every zod issue, short and stable, to follow the field's path: "is required", "must be a
 * string", "must be one of: button, select, text". zod's own ("Invalid input: expected string, received number")
 * changes between versions and speaks of types rather than of the request. A message a schema sets itself wins.
 */
export function plainIssueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      // 1e400 parses as Infinity; NaN only comes from coercing text that is no number at all.
      if ((issue.expected === 'number' || issue.expected === 'int') && (issue.input === Infinity || issue.input === -Infinity)) {
        return 'must be a finite number';
      }
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return oneOf(issue.values);
    case 'invalid_union':
      if (issue.discriminator !== undefined && Array.isArray(issue.options)) {
        const given = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)[issue.discriminator] : undefined;
        return given === undefined ? `is required (one of: ${issue.options.map(shown).join(', ')})` : oneOf(issue.options);
      }
      return 'does not match any of the accepted forms';
    case 'too_small':
      return sizeMessage('least', issue, issue.minimum);
    case 'too_big':
      return sizeMessage('most', issue, issue.maximum);
    case 'invalid_format':
      if (issue.format === 'starts_with') return `must start with "${String(issue.prefix)}"`;
      if (issue.format === 'ends_with') return `must end with "${String(issue.suffix)}"`;
      if (issue.format === 'includes') return `must include "${String(issue.includes)}"`;
      return FORMAT_NAMES[issue.format] ? `must be ${FORMAT_NAMES[issue.format]}` : 'is not in the expected format';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has fields that are not allowed: ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an element that is not allowed';
    default:
      return 'is not valid';
  }
}

// Installed once, for the whole process, by loading the contracts: every schema parsed anywhere (request bodies,
// queries, configuration) then speaks these words, so none of zod's own can reach a user.
z.config({ customError: plainIssueMessage });

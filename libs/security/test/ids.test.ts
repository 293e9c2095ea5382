import { newId } from '@pingback/security';

describe('newId', () => {
  test.each(['acc_', 'ch_', 'dlv_', 'apr_'] as const)('when the prefix is %s, then the id is the prefix and a ULID', (prefix) => {
    expect(newId(prefix)).toMatch(new RegExp(`^${prefix}[0-9A-HJKMNP-TV-Z]{26}$`));
  });

  test('when ids are made one after another, then they sort by time and never repeat', () => {
    const ids = Array.from({ length: 1000 }, () => newId('dlv_'));
    expect(new Set(ids).size).toBe(ids.length);
    const first = ids[0] as string;
    const last = ids[ids.length - 1] as string;
    expect(first.slice(4, 14) <= last.slice(4, 14)).toBe(true); // the 10-character time part
  });

  test('when the prefix is not lower-case letters ending in "_", then it throws', () => {
    expect(() => newId('Bad_')).toThrow(/prefix/);
    expect(() => newId('a-b_')).toThrow(/prefix/);
  });
});

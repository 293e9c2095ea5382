import { compareStagePathTexts, highestStagePath, MAX_PATH_LEVELS, parseStagePath, sortStagePaths } from '../../src/domain/workflows/stage-path';

describe('stage paths', () => {
  test.each(['1', '2.1', '3.4.2', '10', '2.10', '999999999', Array.from({ length: MAX_PATH_LEVELS }, () => '1').join('.')])(
    'when the path is %s, then it is read level by level',
    (text) => {
      const parsed = parseStagePath(text);
      expect(parsed).toEqual({ ok: true, text, path: text.split('.').map(Number) });
    },
  );

  test.each([
    ['', 'must not be empty'],
    ['0', 'dot-separated'],
    ['1.', 'dot-separated'],
    ['.1', 'dot-separated'],
    ['1..2', 'dot-separated'],
    ['a', 'dot-separated'],
    ['01', 'dot-separated'],
    ['2.01', 'dot-separated'],
    ['-1', 'dot-separated'],
    ['1.5e3', 'dot-separated'],
    [' 1', 'dot-separated'],
    ['1000000000', 'dot-separated'],
    [Array.from({ length: MAX_PATH_LEVELS + 1 }, () => '1').join('.'), 'at most 10 levels'],
    ['9'.repeat(10_000), 'dot-separated'],
  ])('when the path is %j, then it is refused saying what is wrong', (text, problem) => {
    const parsed = parseStagePath(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain(problem);
  });

  test('when paths are sorted, then they go numerically level by level and a stage comes before its branches', () => {
    expect(sortStagePaths(['3', '2.10', '10', '2', '2.9', '1', '2.1', '2.2.1', '2.2'])).toEqual(['1', '2', '2.1', '2.2', '2.2.1', '2.9', '2.10', '3', '10']);
  });

  test('when two paths are compared, then 2.10 comes after 2.9 and equal paths compare equal', () => {
    expect(compareStagePathTexts('2.10', '2.9')).toBeGreaterThan(0);
    expect(compareStagePathTexts('2.9', '2.10')).toBeLessThan(0);
    expect(compareStagePathTexts('3.4.2', '3.4.2')).toBe(0);
    expect(highestStagePath(['2.9', '2.10', '1'])).toBe('2.10');
    expect(highestStagePath([])).toBeUndefined();
  });
});

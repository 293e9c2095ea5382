import { formatUsd, formatUsdPair, microsToUsd, roundedDivision, usdToMicros } from '../../src/domain/costs/money';
import { priceCandidates, priceTokens, type ModelPrice } from '../../src/domain/costs/model-prices';

describe('money in micro-dollars', () => {
  test('when dollar amounts come in, then they are held as whole micro-dollars, and sums of them are exact', () => {
    expect(usdToMicros(0.045)).toBe(45_000n);
    expect(usdToMicros(0.1) + usdToMicros(0.2)).toBe(300_000n);
    expect(microsToUsd(usdToMicros(0.1) + usdToMicros(0.2))).toBe(0.3);
    expect(microsToUsd(Array.from({ length: 50 }, () => usdToMicros(0.01)).reduce((a, b) => a + b, 0n))).toBe(0.5);
  });

  test('when an amount is shown to people, then whole cents print as cents and finer amounts in full', () => {
    expect(formatUsd(105_500_000n)).toBe('$105.50');
    expect(formatUsd(100_000n)).toBe('$0.10');
    expect(formatUsd(225n)).toBe('$0.000225');
    expect(formatUsd(0n)).toBe('$0.00');
    expect(formatUsdPair(561_000n, 500_000n)).toEqual(['$0.561', '$0.500']);
  });

  test('when a division is rounded, then halves go up', () => {
    expect(roundedDivision(5n, 10n)).toBe(1n);
    expect(roundedDivision(4n, 10n)).toBe(0n);
    expect(roundedDivision(15n, 10n)).toBe(2n);
  });
});

describe('model prices', () => {
  test('when a model id carries a date or suffix, then it is priced by the longest listed prefix before a dash', () => {
    expect(priceCandidates('claude-3-opus-20240229')).toEqual(['claude-3-opus-20240229', 'claude-3-opus', 'claude-3', 'claude']);
    expect(priceCandidates('o1')).toEqual(['o1']);
  });

  test('when tokens are priced, then the cost is tokens times the price per million, in exact micro-dollars', () => {
    const gpt4oMini: ModelPrice = { modelId: 'gpt-4o-mini', inputMicrosPerMTok: 150_000n, outputMicrosPerMTok: 600_000n, source: 'shipped' };
    expect(priceTokens(gpt4oMini, 10_000, 2_000)).toBe(2_700n);
    // 1 input token at $0.15 per million is 0.15 µ$: rounded to the micro-dollar, not lost in a float.
    expect(priceTokens(gpt4oMini, 1, 0)).toBe(0n);
    expect(priceTokens(gpt4oMini, 4, 0)).toBe(1n);
    expect(priceTokens(gpt4oMini, 1_000_000_000, 1_000_000_000)).toBe(750_000_000n);
  });
});

import { OrderedObject, orderedJson } from '../../src/http/ordered-json';

describe('ordered JSON', () => {
  test('when a map is keyed by stage paths, then its keys are written in the order given, not integer keys first', () => {
    const tree = new OrderedObject([
      ['1', { status: 'healthy' }],
      ['2.1', { status: 'healthy' }],
      ['3', { status: 'pending' }],
    ]);
    expect(JSON.stringify(Object.fromEntries(tree.entries))).toBe('{"1":{"status":"healthy"},"3":{"status":"pending"},"2.1":{"status":"healthy"}}');
    expect(orderedJson(tree)).toBe('{"1":{"status":"healthy"},"2.1":{"status":"healthy"},"3":{"status":"pending"}}');
  });

  test('when values are nested, odd or undefined, then the text is what JSON.stringify writes', () => {
    const value = { a: [1, 'two', null, undefined, { b: true }], c: undefined, d: 'quote " and \u2028', e: new Date(0), f: {} };
    expect(orderedJson(value)).toBe(JSON.stringify(value));
    expect(orderedJson(new OrderedObject([['x', undefined], ['y', new OrderedObject([])]]))).toBe('{"y":{}}');
  });
});

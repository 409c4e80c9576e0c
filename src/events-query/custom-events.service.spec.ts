import { rankProperties } from './custom-events.service';

describe('rankProperties', () => {
  it('sums repeated pairs, orders keys by events then name, and keeps the top values of each', () => {
    const pairs = [
      { key: 'plan', value: 'pro', count: 2 },
      { key: 'currency', value: 'EUR', count: 3 },
      { key: 'plan', value: 'free', count: 1 },
      { key: 'plan', value: 'pro', count: 2 },
      { key: 'amount', value: '9', count: 3 },
      { key: 'plan', value: 'team', count: 1 },
    ];
    expect(rankProperties(pairs, 2)).toEqual([
      { property_key: 'plan', values: [{ value: 'pro', count: 4 }, { value: 'free', count: 1 }] },
      { property_key: 'amount', values: [{ value: '9', count: 3 }] },
      { property_key: 'currency', values: [{ value: 'EUR', count: 3 }] },
    ]);
  });
});

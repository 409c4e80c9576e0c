import { MetricFamily, mergeFamilies, renderPrometheus } from './prometheus-text';

describe('renderPrometheus', () => {
  it('writes HELP, TYPE and samples with escaped labels', () => {
    const text = renderPrometheus([
      { name: 'x_total', help: 'Things.', type: 'counter', samples: [{ name: 'x_total', labels: { route: '/a"b', status: '200' }, value: 3 }] },
      { name: 'y', help: 'Level.', type: 'gauge', samples: [{ name: 'y', value: NaN }] },
    ]);
    expect(text).toBe('# HELP x_total Things.\n# TYPE x_total counter\nx_total{route="/a\\"b",status="200"} 3\n# HELP y Level.\n# TYPE y gauge\ny 0\n');
  });
});

describe('mergeFamilies', () => {
  const requests = (samples: [string, number][]): MetricFamily => ({
    name: 'req_total',
    help: 'Requests.',
    type: 'counter',
    samples: samples.map(([status, value]) => ({ name: 'req_total', labels: { status, route: '/a' }, value })),
  });
  const last = (value: number): MetricFamily => ({ name: 'last_batch', help: 'Last.', type: 'gauge', aggregate: 'max', samples: [{ name: 'last_batch', value }] });
  const queue = (value: number): MetricFamily => ({ name: 'queue', help: 'Queued.', type: 'gauge', samples: [{ name: 'queue', value }] });

  it('sums samples with the same labels across workers and keeps the others', () => {
    const merged = mergeFamilies([
      [requests([['200', 3], ['429', 1]]), queue(2)],
      [requests([['200', 4], ['500', 1]]), queue(5)],
    ]);
    expect(merged).toEqual([requests([['200', 7], ['429', 1], ['500', 1]]), queue(7)]);
  });

  it('matches labels whatever their order', () => {
    const a: MetricFamily = { name: 'x', help: 'X.', type: 'counter', samples: [{ name: 'x', labels: { a: '1', b: '2' }, value: 1 }] };
    const b: MetricFamily = { name: 'x', help: 'X.', type: 'counter', samples: [{ name: 'x', labels: { b: '2', a: '1' }, value: 2 }] };
    expect(mergeFamilies([[a], [b]])[0].samples).toEqual([{ name: 'x', labels: { a: '1', b: '2' }, value: 3 }]);
  });

  it('keeps the largest value of a max gauge, and leaves the inputs unchanged', () => {
    const parts = [[last(40)], [last(700)], [last(3)]];
    expect(mergeFamilies(parts)[0].samples[0].value).toBe(700);
    expect(parts.map(([f]) => f.samples[0].value)).toEqual([40, 700, 3]);
  });

  it('renders the merged families like one process', () => {
    expect(renderPrometheus(mergeFamilies([[queue(1)], [queue(2)]]))).toBe('# HELP queue Queued.\n# TYPE queue gauge\nqueue 3\n');
    expect(mergeFamilies([])).toEqual([]);
  });
});

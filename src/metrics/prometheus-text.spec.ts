import { renderPrometheus } from './prometheus-text';

describe('renderPrometheus', () => {
  it('writes HELP, TYPE and samples with escaped labels', () => {
    const text = renderPrometheus([
      { name: 'x_total', help: 'Things.', type: 'counter', samples: [{ name: 'x_total', labels: { route: '/a"b', status: '200' }, value: 3 }] },
      { name: 'y', help: 'Level.', type: 'gauge', samples: [{ name: 'y', value: NaN }] },
    ]);
    expect(text).toBe('# HELP x_total Things.\n# TYPE x_total counter\nx_total{route="/a\\"b",status="200"} 3\n# HELP y Level.\n# TYPE y gauge\ny 0\n');
  });
});

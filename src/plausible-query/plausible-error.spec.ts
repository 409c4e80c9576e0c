import { v2ErrorBody } from './plausible-error';

describe('v2ErrorBody', () => {
  it('wraps the message as Plausible does', () => {
    expect(v2ErrorBody('metrics[0]: unknown metric "x"')).toEqual({ error: 'metrics[0]: unknown metric "x"' });
  });
});

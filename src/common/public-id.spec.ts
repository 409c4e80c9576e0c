import { newPublicId } from './public-id';

describe('newPublicId', () => {
  it('makes url-safe ids of 12 characters that differ', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newPublicId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{12}$/);
  });
});

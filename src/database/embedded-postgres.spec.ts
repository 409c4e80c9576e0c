import { socketDirFor } from './embedded-postgres';

describe('socketDirFor', () => {
  it('puts the socket in the data folder when its path fits', () => {
    expect(socketDirFor('/srv/footfall/.data/postgres', 5433, 'linux')).toBe('/srv/footfall/.data/postgres');
  });

  it('keeps TCP only for a socket path beyond the Unix limit', () => {
    const deep = '/srv/' + 'a'.repeat(90) + '/postgres';
    expect(socketDirFor(deep, 5433, 'linux')).toBeNull();
  });

  it('keeps TCP only for folders the comma-separated setting cannot hold, and on Windows', () => {
    expect(socketDirFor('/srv/my data/postgres', 5433, 'linux')).toBeNull();
    expect(socketDirFor('/srv/a,b/postgres', 5433, 'linux')).toBeNull();
    expect(socketDirFor('/srv/footfall/postgres', 5433, 'win32')).toBeNull();
  });
});

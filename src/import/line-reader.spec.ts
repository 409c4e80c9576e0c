import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from './line-reader';

describe('readLines', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lines-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const collect = async (file: string, opts = {}) => {
    const out = [];
    for await (const l of readLines(file, opts)) out.push(l);
    return out;
  };

  it('yields numbered lines with exact byte offsets across chunk boundaries, CRLF and UTF-8', async () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'ab\r\nüé\n\nlast');
    const lines = await collect(file, { chunkSize: 3 });
    expect(lines).toEqual([
      { number: 1, text: 'ab', end: 4 },
      { number: 2, text: 'üé', end: 9 },
      { number: 3, text: '', end: 10 },
      { number: 4, text: 'last', end: 14 },
    ]);
  });

  it('starts at a byte offset with the given line number', async () => {
    const file = join(dir, 'b.txt');
    writeFileSync(file, 'one\ntwo\nthree\n');
    expect(await collect(file, { start: 4, firstLineNumber: 2 })).toEqual([
      { number: 2, text: 'two', end: 8 },
      { number: 3, text: 'three', end: 14 },
    ]);
  });
});

import { parseImportArgs } from './args';

describe('parseImportArgs', () => {
  it('reads the options with defaults', () => {
    expect(parseImportArgs(['--website', 'w1', '--file', 'e.ndjson'])).toEqual({
      websiteId: 'w1', file: 'e.ndjson', format: null, onError: 'skip', resume: false, batchSize: 1000,
    });
    expect(parseImportArgs(['--website=w1', '--file=e.txt', '--format', 'csv', '--on-error', 'abort', '--resume', '--batch-size', '50'])).toEqual({
      websiteId: 'w1', file: 'e.txt', format: 'csv', onError: 'abort', resume: true, batchSize: 50,
    });
  });

  it('refuses missing or wrong options', () => {
    expect(() => parseImportArgs(['--file', 'e'])).toThrow('--website is required');
    expect(() => parseImportArgs(['--website', 'w'])).toThrow('--file is required');
    expect(() => parseImportArgs(['--website', 'w', '--file', 'e', '--on-error', 'ignore'])).toThrow(/skip or abort/);
    expect(() => parseImportArgs(['--website', 'w', '--file', 'e', '--batch-size', '0'])).toThrow(/batch-size/);
    expect(() => parseImportArgs(['--website', 'w', '--file', 'e', '--nope'])).toThrow(/unknown argument/);
  });
});

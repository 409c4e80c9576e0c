import { OnError } from './importer';

export interface ImportArgs {
  websiteId: string;
  file: string;
  format: string | null;
  onError: OnError;
  resume: boolean;
  batchSize: number;
}

export const IMPORT_USAGE =
  'usage: npm run import -- --website <id> --file <events.ndjson|events.csv> [--format ndjson|csv] [--on-error skip|abort] [--resume] [--batch-size 1000]';

/** Command line of `npm run import`; throws an Error with a readable message on bad input. */
export function parseImportArgs(argv: string[]): ImportArgs {
  const values = new Map<string, string>();
  let resume = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--resume') {
      resume = true;
      continue;
    }
    if (!['--website', '--file', '--format', '--on-error', '--batch-size'].includes(flag)) throw new Error(`unknown argument: ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    values.set(flag, value);
  }
  const websiteId = values.get('--website');
  const file = values.get('--file');
  if (!websiteId) throw new Error('--website is required');
  if (!file) throw new Error('--file is required');
  const onError = values.get('--on-error') ?? 'skip';
  if (onError !== 'skip' && onError !== 'abort') throw new Error('--on-error must be skip or abort');
  const batchSize = Number(values.get('--batch-size') ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch-size must be an integer from 1 to 10000');
  const format = values.get('--format') ?? null;
  if (format !== null && !['ndjson', 'jsonl', 'csv'].includes(format)) throw new Error('--format must be ndjson or csv');
  return { websiteId, file, format, onError, resume, batchSize };
}

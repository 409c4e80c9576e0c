import { createReadStream } from 'node:fs';

/** One line of a file: its 1-based number, its text (without the line break) and the byte offset after it. */
export interface FileLine {
  number: number;
  text: string;
  /** Byte offset just past this line's line break: where reading resumes after it. */
  end: number;
}

const LF = 0x0a;

/**
 * Streams a file line by line from a byte offset, never holding more than one chunk plus one
 * partial line. Byte offsets are exact (unlike readline), so a checkpoint can resume mid-file.
 */
export async function* readLines(file: string, opts: { start?: number; firstLineNumber?: number; chunkSize?: number } = {}): AsyncGenerator<FileLine> {
  let offset = opts.start ?? 0;
  let number = (opts.firstLineNumber ?? 1) - 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const stream = createReadStream(file, { start: offset, highWaterMark: opts.chunkSize ?? 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(LF, from); nl !== -1; nl = chunk.indexOf(LF, from)) {
      let bytes = chunk.subarray(from, nl);
      if (pendingBytes) {
        bytes = Buffer.concat([...pending, bytes]);
        pending = [];
        pendingBytes = 0;
      }
      offset += bytes.length + 1;
      from = nl + 1;
      yield { number: ++number, text: decode(bytes), end: offset };
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
    }
  }
  if (pendingBytes) {
    const bytes = Buffer.concat(pending);
    offset += bytes.length;
    yield { number: ++number, text: decode(bytes), end: offset };
  }
}

function decode(bytes: Buffer): string {
  const end = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}

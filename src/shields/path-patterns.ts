/** Longest path pattern: exclusions name sections of a site, not single long URLs. */
export const MAX_PATH_PATTERN_LENGTH = 500;

/**
 * A path pattern as stored (trimmed; three or more * are **), or why it cannot be one. The
 * wildcards are those of page goals: `**` matches anything, `/` included; `*` anything within one
 * path segment. A `*` may not stand between two `**`: matching stays linear in the path's length.
 */
export function normalizePathPattern(text: string): { pattern: string } | { error: string } {
  const pattern = text.trim().replace(/\*{3,}/g, '**');
  if (!pattern) return { error: 'must not be empty' };
  if (pattern[0] !== '/' && pattern[0] !== '*') return { error: 'must start with / or *' };
  if (pattern.length > MAX_PATH_PATTERN_LENGTH) return { error: `must be at most ${MAX_PATH_PATTERN_LENGTH} characters` };
  if (pattern.split('**').slice(1, -1).some((between) => between.includes('*'))) return { error: 'cannot have a * between two **' };
  return { pattern };
}

/**
 * A pattern cut at each `**` into chunks, and each chunk at each `*` into literal pieces:
 * `/blog/**` is [["/blog/"], [""]]; `/docs/*.html` is [["/docs/", ".html"]].
 */
type Chunks = string[][];

const compile = (pattern: string): Chunks => pattern.split('**').map((chunk) => chunk.split('*'));

const slashBetween = (text: string, from: number, to: number): boolean => {
  const slash = text.indexOf('/', from);
  return slash !== -1 && slash < to;
};

/**
 * The first `count` pieces of a chunk matched at the start of `text` (each piece after a `*`,
 * which crosses no `/`): where the match ends at the earliest, or -1. Taking every piece at its
 * first possible place leaves the most room to the pieces and chunks after it.
 */
function earliestEnd(pieces: string[], count: number, text: string): number {
  if (!text.startsWith(pieces[0])) return -1;
  let end = pieces[0].length;
  for (let i = 1; i < count; i++) {
    const at = text.indexOf(pieces[i], end);
    if (at === -1 || slashBetween(text, end, at)) return -1;
    end = at + pieces[i].length;
  }
  return end;
}

/** The mirror of earliestEnd: a chunk matched at the end of `text`, where it starts at the latest, or -1. */
function latestStart(pieces: string[], text: string): number {
  const last = pieces[pieces.length - 1];
  if (!text.endsWith(last)) return -1;
  let start = text.length - last.length;
  for (let i = pieces.length - 2; i >= 0; i--) {
    const piece = pieces[i];
    const at = start < piece.length ? -1 : text.lastIndexOf(piece, start - piece.length);
    if (at === -1 || slashBetween(text, at + piece.length, start)) return -1;
    start = at;
  }
  return start;
}

/** A chunk that is the whole pattern (no `**`) against the whole text. */
function matchesWhole(pieces: string[], text: string): boolean {
  if (pieces.length === 1) return text === pieces[0];
  const head = earliestEnd(pieces, pieces.length - 1, text);
  const last = pieces[pieces.length - 1];
  const at = text.length - last.length;
  return head !== -1 && at >= head && text.endsWith(last) && !slashBetween(text, head, at);
}

/**
 * First chunk as early as it can end, the plain-text chunks between `**`s each at its first
 * place after that, the last chunk as late as it can start: they match in order or not at all.
 */
function matches(chunks: Chunks, path: string): boolean {
  if (chunks.length === 1) return matchesWhole(chunks[0], path);
  let end = earliestEnd(chunks[0], chunks[0].length, path);
  for (let i = 1; end !== -1 && i < chunks.length - 1; i++) {
    const at = path.indexOf(chunks[i][0], end);
    end = at === -1 ? -1 : at + chunks[i][0].length;
  }
  return end !== -1 && latestStart(chunks[chunks.length - 1], path) >= end;
}

/** Normalised path patterns, answering whether a page path matches any: plain paths by one lookup. */
export class PathPatternSet {
  private readonly exact = new Set<string>();
  private readonly wildcards: Chunks[] = [];

  constructor(patterns: string[]) {
    for (const p of patterns) {
      if (p.includes('*')) this.wildcards.push(compile(p));
      else this.exact.add(p);
    }
  }

  has(path: string | null): boolean {
    if (path === null) return false;
    return this.exact.has(path) || this.wildcards.some((chunks) => matches(chunks, path));
  }
}

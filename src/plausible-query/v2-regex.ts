/**
 * A cheap look at a `matches` pattern before Postgres compiles it (it is run as an ARE, Postgres'
 * advanced regular expression). Refuses what is malformed and what makes Postgres' engine blow
 * up in time or memory: back-references, repetition counts over 255, and a group that repeats
 * while it holds a bounded repetition (or a bounded repetition of a group that repeats).
 */

export const MAX_REPETITION = 255;

interface Group {
  hasQuantifier: boolean;
  hasBounded: boolean;
}

/** Constraint escapes (word boundaries, anchors): nothing to repeat. */
const CONSTRAINT_ESCAPES = new Set(['m', 'M', 'y', 'Y', 'A', 'Z']);
const BOUND = /\{(\d+)(?:(,)(\d*))?\}/y;
/** Embedded options are allowed at the very start only, e.g. (?i) for a case-insensitive match. */
const LEADING_OPTIONS = /^\(\?[bceimnpqstwx]+\)/;

/** Why the pattern is refused, or null when it may be run. */
export function regexProblem(pattern: string): string | null {
  const stack: Group[] = [{ hasQuantifier: false, hasBounded: false }];
  /** What a quantifier would repeat: an atom, a closed group, or nothing. */
  let operand: 'atom' | Group | null = null;
  let i = LEADING_OPTIONS.exec(pattern)?.[0].length ?? 0;

  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'it ends with a lone backslash';
      if (next >= '1' && next <= '9') return 'back-references (\\1 to \\9) are not allowed';
      operand = CONSTRAINT_ESCAPES.has(next) ? null : 'atom';
      i += 2;
    } else if (c === '[') {
      const end = bracketEnd(pattern, i);
      if (end < 0) return 'a [ is never closed';
      operand = 'atom';
      i = end + 1;
    } else if (c === '(') {
      const opening = groupOpening(pattern, i);
      if (typeof opening === 'string') return opening;
      stack.push({ hasQuantifier: false, hasBounded: false });
      operand = null;
      i += opening;
    } else if (c === ')') {
      if (stack.length === 1) return 'a ) has no matching (';
      const group = stack.pop() as Group;
      const parent = stack[stack.length - 1];
      parent.hasQuantifier ||= group.hasQuantifier;
      parent.hasBounded ||= group.hasBounded;
      operand = group;
      i += 1;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /\d/.test(pattern[i + 1] ?? ''))) {
      let bounded = false;
      let length = 1;
      if (c === '{') {
        BOUND.lastIndex = i;
        const m = BOUND.exec(pattern);
        if (!m) return `the repetition at position ${i} is malformed (write {n}, {n,} or {n,m})`;
        const low = Number(m[1]);
        const high = m[3] === undefined || m[3] === '' ? low : Number(m[3]);
        if (low > MAX_REPETITION || high > MAX_REPETITION) return `repetition counts may not exceed ${MAX_REPETITION}`;
        if (m[2] && m[3] !== '' && high < low) return `the repetition {${m[1]},${m[3]}} counts down`;
        bounded = true;
        length = m[0].length;
      }
      if (operand === null) return `the quantifier at position ${i} has nothing to repeat`;
      if (operand !== 'atom' && (operand.hasBounded || (bounded && operand.hasQuantifier))) {
        return 'a repeated group may not hold a bounded repetition, nor may a group that repeats be repeated a bounded number of times';
      }
      const enclosing = stack[stack.length - 1];
      enclosing.hasQuantifier = true;
      enclosing.hasBounded ||= bounded;
      operand = null;
      i += length;
      if (pattern[i] === '?') i += 1; // non-greedy form
    } else {
      operand = c === '|' || c === '^' || c === '$' ? null : 'atom';
      i += 1;
    }
  }
  return stack.length > 1 ? 'a ( is never closed' : null;
}

/** Characters the group's opening takes, or why it is refused. */
function groupOpening(pattern: string, i: number): number | string {
  if (pattern[i + 1] !== '?') return 1;
  for (const form of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
    if (pattern.startsWith(form, i)) return form.length;
  }
  return `the group at position ${i} is not supported (only (?:, lookaheads, lookbehinds, and options like (?i) at the start)`;
}

/** Index of the ] closing the bracket expression opened at `start`, or -1. */
function bracketEnd(pattern: string, start: number): number {
  let j = start + 1;
  if (pattern[j] === '^') j += 1;
  if (pattern[j] === ']') j += 1; // a leading ] is literal
  while (j < pattern.length) {
    const c = pattern[j];
    if (c === ']') return j;
    if (c === '\\') {
      j += 2;
    } else if (c === '[' && (pattern[j + 1] === ':' || pattern[j + 1] === '.' || pattern[j + 1] === '=')) {
      const close = pattern.indexOf(`${pattern[j + 1]}]`, j + 2);
      if (close < 0) return -1;
      j = close + 2;
    } else {
      j += 1;
    }
  }
  return -1;
}

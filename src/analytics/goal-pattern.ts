import { GoalDefinition } from './query';

/** A stored goal (the goals API's shape): a custom event by name, or pageviews of matching paths. */
export interface Goal {
  id: string;
  goal_type: 'event' | 'page';
  event_name: string | null;
  page_path: string | null;
  display_name: string;
}

// Characters with a meaning in a POSIX (Postgres ARE) regular expression; a backslash before any
// of them makes it literal.
const REGEX_METACHARACTERS = /[.^$|?*+()[\]{}\\]/g;

const escapeLiteral = (text: string): string => text.replace(REGEX_METACHARACTERS, '\\$&');

/**
 * The anchored regular expression (for Postgres `~`) that a page goal's path stands for: `**`
 * matches anything, `/` included; `*` anything within one path segment; the rest is literal.
 * `/blog/**` -> `^/blog/.*$`; `/docs/*` -> `^/docs/[^/]*$` (so `/docs/a` but not `/docs/a/b`).
 */
export function pagePathPattern(pagePath: string): string {
  const parts = pagePath.split(/(\*\*|\*)/).map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : escapeLiteral(part)));
  return `^${parts.join('')}$`;
}

/** A stored goal as the query engine matches it. */
export function goalDefinition(g: Goal): GoalDefinition {
  return g.goal_type === 'event' ? { displayName: g.display_name, type: 'event', match: g.event_name! } : { displayName: g.display_name, type: 'page', match: g.page_path! };
}

/**
 * A page goal's path to an anchored regular expression for Postgres' `~`: `**` matches anything
 * (slashes included), `*` anything within one path segment, every other character itself.
 */
export function pagePathPattern(pagePath: string): string {
  let out = '^';
  for (let i = 0; i < pagePath.length; i++) {
    if (pagePath.startsWith('**', i)) {
      out += '.*';
      i++;
    } else if (pagePath[i] === '*') out += '[^/]*';
    else out += pagePath[i].replace(/[\\^$.|?+()[\]{}]/g, (c) => `\\${c}`);
  }
  return `${out}$`;
}

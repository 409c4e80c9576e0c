/**
 * Statements are written with named placeholders (`:website_id`) and compiled to Postgres' `$n`
 * only when run, so the committed .sql files read as SQL and no one counts parameters by hand.
 * Request values only ever travel as parameters.
 */

/** A statement with named placeholders and their values. */
export interface NamedSql {
  text: string;
  params: Readonly<Record<string, unknown>>;
}

/** What the driver takes. */
export interface Sql {
  text: string;
  values: unknown[];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Hands out placeholders; a name given twice with another value gets a numbered twin (page_2). */
export class Params {
  readonly values: Record<string, unknown> = {};

  /** The placeholder of `value` under `name`, reusing an equal value already under that name. */
  add(name: string, value: unknown): string {
    if (!NAME.test(name)) throw new Error(`invalid parameter name ${name}`);
    for (let i = 1; ; i++) {
      const key = i === 1 ? name : `${name}_${i}`;
      if (!(key in this.values)) {
        this.values[key] = value;
        return `:${key}`;
      }
      if (sameValue(this.values[key], value)) return `:${key}`;
    }
  }

  sql(text: string): NamedSql {
    return { text, params: this.values };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return a === b;
}

/**
 * `:name` placeholders to `$n`, numbered by first appearance. Quoted literals, quoted identifiers
 * and `::type` casts are left alone. A placeholder without a value is a programming error.
 */
export function compile(sql: NamedSql): Sql {
  const numbers = new Map<string, number>();
  const values: unknown[] = [];
  let out = '';
  const t = sql.text;
  for (let i = 0; i < t.length; ) {
    const c = t[i];
    if (c === "'" || c === '"') {
      const end = t.indexOf(c, i + 1);
      const stop = end < 0 ? t.length : end + 1;
      out += t.slice(i, stop);
      i = stop;
    } else if (c === ':' && t[i + 1] === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && /[a-z_]/.test(t[i + 1] ?? '')) {
      const m = /^[a-z_][a-z0-9_]*/.exec(t.slice(i + 1))!;
      const name = m[0];
      if (!(name in sql.params)) throw new Error(`no value for :${name}`);
      let n = numbers.get(name);
      if (n === undefined) {
        values.push(sql.params[name]);
        numbers.set(name, (n = values.length));
      }
      out += `$${n}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, values };
}

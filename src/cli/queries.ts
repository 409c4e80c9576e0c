import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderQuery, REPRESENTATIVE_QUERIES } from '../events-query/engine/sql/representative-queries';

/** `npm run queries`: renders the query builder's representative statements into src/events-query/engine/sql/*.sql. */
const dir = path.join(process.cwd(), 'src', 'events-query', 'engine', 'sql');
for (const [name, sql] of Object.entries(REPRESENTATIVE_QUERIES)) writeFileSync(path.join(dir, `${name}.sql`), renderQuery(name, sql));
console.log(`wrote ${Object.keys(REPRESENTATIVE_QUERIES).length} files to ${path.relative(process.cwd(), dir)}`);

import { CanonicalEvent } from '../../src/collect/canonical-event';
import { Dialect, ParseContext } from '../../src/collect/dialects/dialect';
import { IngestError } from '../../src/collect/ingest-error';

/** Parse helpers for a dialect's unit tests: the events of a body that must parse, or its error. */
export function dialectParsing(dialect: Dialect, now: Date) {
  const parsed = (body: unknown, extra: Partial<ParseContext> = {}): CanonicalEvent[] => {
    const outcome = dialect.parse(body, { now, ...extra });
    if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.error)}`);
    return outcome.value;
  };
  const parsedOne = (body: unknown, extra: Partial<ParseContext> = {}): CanonicalEvent => {
    const events = parsed(body, extra);
    expect(events).toHaveLength(1);
    return events[0];
  };
  const parseError = (body: unknown, extra: Partial<ParseContext> = {}): IngestError => {
    const outcome = dialect.parse(body, { now, ...extra });
    if (outcome.ok) throw new Error('expected an error');
    return outcome.error;
  };
  return { parsed, parsedOne, parseError };
}

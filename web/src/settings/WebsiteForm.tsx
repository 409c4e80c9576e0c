import type { Schemas } from '../api/client';
import { ErrorNote, Field, formValues, useAction } from '../ui';

export interface WebsiteValues {
  name: string;
  domain: string;
  timezone: string;
  public_collect: boolean;
  retention_days: number | null;
}

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
};

/** Create or edit a website: name, domain, time zone, public collection, retention. */
export function WebsiteForm({ website, submitLabel, onSubmit }: { website?: Schemas['WebsiteDto']; submitLabel: string; onSubmit: (values: WebsiteValues) => Promise<void> }) {
  const { run, pending, error } = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    await onSubmit({
      name: v.name.trim(),
      domain: v.domain.trim(),
      timezone: v.timezone.trim() || 'UTC',
      public_collect: v.public_collect === 'on',
      retention_days: v.retention_days ? Number(v.retention_days) : null,
    });
  });
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); void run(e.currentTarget); }}>
      <Field label="Name"><input name="name" required maxLength={200} defaultValue={website?.name} /></Field>
      <Field label="Domain" hint="example.com"><input name="domain" required defaultValue={website?.domain} /></Field>
      <Field label="Time zone" hint="Days in reports are days in this zone.">
        <input name="timezone" list="time-zones" required defaultValue={website?.timezone ?? browserZone} />
      </Field>
      <datalist id="time-zones">{zones().map((z) => <option key={z} value={z} />)}</datalist>
      <Field label="Keep events for (days)" hint="Empty keeps them forever.">
        <input name="retention_days" type="number" min={1} defaultValue={website?.retention_days ?? ''} />
      </Field>
      <label class="check">
        <input name="public_collect" type="checkbox" defaultChecked={website?.public_collect ?? true} />
        Accept events from browsers without a key (script tag, Plausible, Umami)
      </label>
      <ErrorNote message={error} />
      <div><button class="primary" disabled={pending}>{pending ? 'Saving…' : submitLabel}</button></div>
    </form>
  );
}

import { must, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { ErrorNote, Field, formValues, Show, useAction, useLoad } from '../ui';

type Shields = Schemas['ShieldsDto'];
const FIELDS: { key: keyof Shields; label: string; hint: string }[] = [
  { key: 'ip_addresses', label: 'IP addresses', hint: 'One address or CIDR range a line, e.g. 203.0.113.0/24' },
  { key: 'countries', label: 'Countries', hint: 'ISO codes, one a line, e.g. DE' },
  { key: 'paths', label: 'Paths', hint: 'One path or pattern a line, e.g. /admin/**' },
  { key: 'allowed_hostnames', label: 'Only these hostnames', hint: 'Empty accepts every hostname' },
];

/** The traffic this website does not count. */
export function ShieldsEditor({ websiteId, editable }: { websiteId: string; editable: boolean }) {
  const { api } = useApp();
  const path = { id: websiteId };
  const [shields, reload] = useLoad(() => must(api.GET('/api/websites/{id}/shields', { params: { path } })), [api, websiteId]);
  const save = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
    const body = Object.fromEntries(FIELDS.map((f) => [f.key, lines(v[f.key] ?? '')])) as Shields;
    await must(api.PUT('/api/websites/{id}/shields', { params: { path }, body }));
    reload();
  });
  return (
    <section class="card stack" aria-labelledby="shields">
      <h2 id="shields">Shields</h2>
      <Show state={shields}>
        {(s) => (
          <form class="stack" onSubmit={(e) => { e.preventDefault(); void save.run(e.currentTarget); }}>
            <div class="grid2">
              {FIELDS.map((f) => (
                <Field key={f.key} label={f.label} hint={f.hint}>
                  <textarea name={f.key} rows={3} readOnly={!editable} defaultValue={s[f.key].join('\n')} />
                </Field>
              ))}
            </div>
            <ErrorNote message={save.error} />
            {editable && <div><button class="primary" disabled={save.pending}>Save shields</button></div>}
          </form>
        )}
      </Show>
    </section>
  );
}

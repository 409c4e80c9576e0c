import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { canManage, useApp } from '../app-context';
import { ConfirmButton, CopyButton, dateTime, ErrorNote, Field, Show, useAction, useLoad } from '../ui';

type Scope = Schemas['CreateApiKeyDto']['scopes'][number];

export function ApiKeysPage() {
  const { organization } = useApp();
  if (!canManage(organization.role)) return <section class="page"><h1>API keys</h1><p>Only owners and admins manage API keys.</p></section>;
  return <ApiKeys />;
}

function ApiKeys() {
  const { api, organization } = useApp();
  const [keys, reload] = useLoad(() => must(api.GET('/api/api-keys')), [api, organization.id]);
  const [sites] = useLoad(() => must(api.GET('/api/websites')), [api, organization.id]);
  const [created, setCreated] = useState<Schemas['CreatedApiKeyDto'] | null>(null);
  const create = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const expires = String(data.get('expires_at') ?? '');
    const body: Schemas['CreateApiKeyDto'] = {
      name: String(data.get('name')),
      organization_id: organization.id,
      scopes: data.getAll('scopes').map(String) as Scope[],
      website_ids: data.getAll('website_ids').map(String),
      expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
    };
    if (body.website_ids?.length === 0) delete body.website_ids;
    setCreated(await must(api.POST('/api/api-keys', { body })));
    form.reset();
    reload();
  });
  const revoke = useAction(async (id: string) => {
    await must(api.DELETE('/api/api-keys/{id}', { params: { path: { id } } }));
    reload();
  });
  const siteName = (id: string) => sites.data?.data.find((w) => w.id === id)?.name ?? id;
  return (
    <section class="page stack">
      <h1>API keys</h1>
      {created && (
        <div class="card stack notice" role="status">
          <strong>Key “{created.name}” created. Copy it now: it is shown only once.</strong>
          <div class="row"><code class="secret" data-testid="new-key">{created.key}</code><CopyButton text={created.key} /></div>
          <div><button type="button" onClick={() => setCreated(null)}>Done</button></div>
        </div>
      )}
      <Show state={keys}>
        {({ data }) => {
          const mine = data.filter((k) => k.organization_id === organization.id);
          return mine.length === 0 ? <p class="muted">No API keys.</p> : (
            <div class="table-scroll">
              <table aria-label="API keys">
                <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Websites</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                <tbody>
                  {mine.map((k) => (
                    <tr key={k.id}>
                      <td>{k.name}</td><td><code>{k.prefix}…</code></td><td>{k.scopes.join(', ')}</td>
                      <td>{k.website_ids?.length ? k.website_ids.map(siteName).join(', ') : 'all'}</td>
                      <td>{dateTime(k.expires_at)}</td><td>{dateTime(k.last_used_at)}</td>
                      <td><ConfirmButton label="Revoke" question={`Revoke the key ${k.name}? Requests using it are refused from now on.`} confirm="Revoke key" onConfirm={() => revoke.run(k.id)} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Show>
      <ErrorNote message={revoke.error} />
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); void create.run(e.currentTarget); }}>
        <h2>New key</h2>
        <Field label="Name"><input name="name" required maxLength={100} /></Field>
        <fieldset>
          <legend>Scopes</legend>
          <label class="check"><input type="checkbox" name="scopes" value="ingest" defaultChecked /> ingest: send events</label>
          <label class="check"><input type="checkbox" name="scopes" value="read" /> read: query analytics</label>
        </fieldset>
        <fieldset>
          <legend>Websites (none checked: all)</legend>
          {(sites.data?.data ?? []).filter((w) => w.organization_id === organization.id).map((w) => (
            <label key={w.id} class="check"><input type="checkbox" name="website_ids" value={w.id} /> {w.name} <span class="muted">{w.domain}</span></label>
          ))}
        </fieldset>
        <Field label="Expires on" hint="Empty: never."><input type="date" name="expires_at" min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)} /></Field>
        <ErrorNote message={create.error} />
        <div><button class="primary" disabled={create.pending}>Create key</button></div>
      </form>
    </section>
  );
}

import { must } from '../api/client';
import { canEdit, useApp } from '../app-context';
import { navigate } from '../router';
import { Show, useLoad } from '../ui';
import { WebsiteForm } from '../settings/WebsiteForm';

export function WebsitesPage() {
  const { api, organization } = useApp();
  const [sites] = useLoad(() => must(api.GET('/api/websites')), [api, organization.id]);
  return (
    <section class="page stack">
      <h1>Websites</h1>
      <Show state={sites}>
        {({ data }) => {
          const mine = data.filter((w) => w.organization_id === organization.id);
          return mine.length === 0 ? (
            <p class="muted">No websites in {organization.name} yet.</p>
          ) : (
            <ul class="cards" aria-label="Websites">
              {mine.map((w) => (
                <li key={w.id} class="card">
                  <a class="title" href={`/websites/${w.id}`}>{w.name}</a>
                  <span class="muted">{w.domain} · {w.timezone}</span>
                  <a href={`/websites/${w.id}/settings`}>Settings and install</a>
                </li>
              ))}
            </ul>
          );
        }}
      </Show>
      {canEdit(organization.role) && (
        <details class="card">
          <summary>Add a website</summary>
          <WebsiteForm
            submitLabel="Create website"
            onSubmit={async (values) => {
              const site = await must(api.POST('/api/websites', { body: { ...values, organization_id: organization.id } }));
              navigate(`/websites/${site.id}/settings`);
            }}
          />
        </details>
      )}
    </section>
  );
}

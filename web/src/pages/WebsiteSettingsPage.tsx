import { must } from '../api/client';
import { canEdit, canManage, useApp } from '../app-context';
import { navigate } from '../router';
import { ConfirmButton, ErrorNote, Show, useAction, useLoad } from '../ui';
import { GoalsEditor } from '../settings/GoalsEditor';
import { InstallSnippets } from '../settings/InstallSnippets';
import { SharedLinks } from '../settings/SharedLinks';
import { ShieldsEditor } from '../settings/ShieldsEditor';
import { WebsiteForm } from '../settings/WebsiteForm';

export function WebsiteSettingsPage({ websiteId }: { websiteId: string }) {
  const { api, organization } = useApp();
  const [site, reload] = useLoad(() => must(api.GET('/api/websites/{id}', { params: { path: { id: websiteId } } })), [api, websiteId]);
  const remove = useAction(async () => {
    await must(api.DELETE('/api/websites/{id}', { params: { path: { id: websiteId } } }));
    navigate('/websites');
  });
  const editor = canEdit(organization.role);
  return (
    <section class="page stack">
      <Show state={site}>
        {(w) => (
          <>
            <p><a href={`/websites/${w.id}`}>← Dashboard of {w.name}</a></p>
            <h1>{w.name}: settings</h1>
            <InstallSnippets website={w} />
            {editor && (
              <section class="card stack" aria-labelledby="details">
                <h2 id="details">Details</h2>
                <WebsiteForm
                  key={w.id}
                  website={w}
                  submitLabel="Save"
                  onSubmit={async (values) => {
                    await must(api.PATCH('/api/websites/{id}', { params: { path: { id: w.id } }, body: values }));
                    reload();
                  }}
                />
              </section>
            )}
            <GoalsEditor websiteId={w.id} editable={editor} />
            <ShieldsEditor websiteId={w.id} editable={editor} />
            {canManage(organization.role) && <SharedLinks websiteId={w.id} />}
            {editor && (
              <section class="card stack danger-zone" aria-labelledby="delete">
                <h2 id="delete">Delete</h2>
                <p>Deleting {w.domain} deletes all its events. This cannot be undone.</p>
                <ErrorNote message={remove.error} />
                <div><ConfirmButton label="Delete website" question={`Delete ${w.name} (${w.domain}) and all its data?`} confirm="Delete for good" onConfirm={() => remove.run()} /></div>
              </section>
            )}
          </>
        )}
      </Show>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { ConfirmButton, CopyButton, dateTime, ErrorNote, Field, formValues, Show, useAction, useLoad } from '../ui';

type SharedLink = Schemas['SharedLinkDto'];

/** Read-only links to this website's dashboard (owners and admins). */
export function SharedLinks({ websiteId }: { websiteId: string }) {
  const { api } = useApp();
  const path = { id: websiteId };
  const [links, reload] = useLoad(async () => {
    return (await must(api.GET('/api/websites/{id}/shared-links', { params: { path } }))).data;
  }, [api, websiteId]);
  const [created, setCreated] = useState<SharedLink | null>(null);
  const create = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    setCreated(await must(api.POST('/api/websites/{id}/shared-links', { params: { path }, body: { label: v.label || undefined, password: v.password || undefined } })));
    form.reset();
    reload();
  });
  const revoke = useAction(async (linkId: string) => {
    await must(api.DELETE('/api/websites/{id}/shared-links/{link_id}', { params: { path: { id: websiteId, link_id: linkId } } }));
    reload();
  });
  // The API gives the link's path on this origin.
  const urlOf = (l: SharedLink) => new URL(l.url, location.origin).href;
  return (
    <section class="card stack" aria-labelledby="shared">
      <h2 id="shared">Shared links</h2>
      <Show state={links}>
        {(list) => (
          <>
            {list.length === 0 ? <p class="muted">No shared links.</p> : (
              <ul class="list">
                {list.map((l) => (
                  <li key={l.id}>
                    <span><strong>{l.label ?? 'Link'}</strong> <span class="muted">{l.has_password ? 'password · ' : ''}created {dateTime(l.created_at)}</span></span>
                    <span class="row"><CopyButton text={urlOf(l)} label="Copy link" /><ConfirmButton label="Revoke" question="Revoke this link? Anyone using it loses access." confirm="Revoke link" onConfirm={() => revoke.run(l.id)} /></span>
                  </li>
                ))}
              </ul>
            )}
            {created && <p role="status">New link: <a href={urlOf(created)}>{urlOf(created)}</a></p>}
            <ErrorNote message={revoke.error} />
            <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void create.run(e.currentTarget); }}>
              <Field label="Label"><input name="label" placeholder="optional" /></Field>
              <Field label="Password" hint="Optional, at least 8 characters."><input name="password" type="password" autocomplete="new-password" minLength={8} /></Field>
              <button class="primary" disabled={create.pending}>Create link</button>
              <ErrorNote message={create.error} />
            </form>
          </>
        )}
      </Show>
    </section>
  );
}

import { must } from '../api/client';
import { canManage, useApp, type Role } from '../app-context';
import { ConfirmButton, dateTime, ErrorNote, Field, formValues, Show, useAction, useLoad } from '../ui';

const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];

export function MembersPage() {
  const { organization } = useApp();
  if (!canManage(organization.role)) return <section class="page"><h1>Members</h1><p>Only owners and admins manage members.</p></section>;
  return <Members />;
}

function Members() {
  const { api, me, organization, reloadMe } = useApp();
  const path = { id: organization.id };
  const [members, reload] = useLoad(() => must(api.GET('/api/organizations/{id}/members', { params: { path } })), [api, organization.id]);
  // Only an owner grants or changes the owner role.
  const grantable = ROLES.filter((r) => r !== 'owner' || organization.role === 'owner');
  const add = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    await must(api.POST('/api/organizations/{id}/members', { params: { path }, body: { email: v.email, role: v.role as Role } }));
    form.reset();
    reload();
  });
  const remove = useAction(async (userId: string) => {
    await must(api.DELETE('/api/organizations/{id}/members/{userId}', { params: { path: { id: organization.id, userId } } }));
    if (userId === me.id) reloadMe();
    else reload();
  });
  return (
    <section class="page stack">
      <h1>Members of {organization.name}</h1>
      <Show state={members}>
        {({ data }) => (
          <div class="table-scroll">
            <table aria-label="Members">
              <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {data.map((m) => (
                  <tr key={m.user_id}>
                    <td>{m.email}</td><td>{m.name ?? '—'}</td><td>{m.role}</td><td>{dateTime(m.created_at)}</td>
                    <td>{(m.role !== 'owner' || organization.role === 'owner') && <ConfirmButton label="Remove" question={`Remove ${m.email} from ${organization.name}?`} confirm="Remove member" onConfirm={() => remove.run(m.user_id)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Show>
      <ErrorNote message={remove.error} />
      <form class="card inline-form" onSubmit={(e) => { e.preventDefault(); void add.run(e.currentTarget); }}>
        <Field label="Email of a Footfall user"><input name="email" type="email" required /></Field>
        <Field label="Role">
          <select name="role">{grantable.map((r) => <option key={r} value={r}>{r}</option>)}</select>
        </Field>
        <button class="primary" disabled={add.pending}>Add or change member</button>
        <ErrorNote message={add.error} />
      </form>
      <p class="muted small">Viewers read dashboards; members also manage websites, goals and shields; admins and owners also manage API keys, members and shared links.</p>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { must } from '../api/client';
import { useApp } from '../app-context';
import { ConfirmButton, ErrorNote, Field, formValues, Show, useAction, useLoad } from '../ui';

export function GoalsEditor({ websiteId, editable }: { websiteId: string; editable: boolean }) {
  const { api } = useApp();
  const path = { id: websiteId };
  const [goals, reload] = useLoad(() => must(api.GET('/api/websites/{id}/goals', { params: { path } })), [api, websiteId]);
  const [kind, setKind] = useState<'event' | 'page'>('event');
  const create = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    const body = kind === 'event' ? { goal_type: kind, event_name: v.target } : { goal_type: kind, page_path: v.target };
    await must(api.POST('/api/websites/{id}/goals', { params: { path }, body: { ...body, display_name: v.display_name || undefined } }));
    form.reset();
    reload();
  });
  const remove = useAction(async (goalId: string) => {
    await must(api.DELETE('/api/websites/{id}/goals/{goal_id}', { params: { path: { id: websiteId, goal_id: goalId } } }));
    reload();
  });
  return (
    <section class="card stack" aria-labelledby="goals">
      <h2 id="goals">Goals</h2>
      <Show state={goals}>
        {({ data }) =>
          data.length === 0 ? <p class="muted">No goals yet.</p> : (
            <ul class="list">
              {data.map((g) => (
                <li key={g.id}>
                  <span><strong>{g.display_name}</strong> <span class="muted">{g.goal_type === 'event' ? `event ${g.event_name}` : `page ${g.page_path}`}</span></span>
                  {editable && <ConfirmButton label="Delete" question={`Delete the goal ${g.display_name}?`} confirm="Delete goal" onConfirm={() => remove.run(g.id)} />}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
      <ErrorNote message={remove.error} />
      {editable && (
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void create.run(e.currentTarget); }}>
          <Field label="Type">
            <select name="goal_type" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'event' | 'page')}>
              <option value="event">Custom event</option>
              <option value="page">Page visit</option>
            </select>
          </Field>
          <Field label={kind === 'event' ? 'Event name' : 'Page path (/blog/** matches below)'}><input name="target" required placeholder={kind === 'event' ? 'Signup' : '/pricing'} /></Field>
          <Field label="Display name"><input name="display_name" placeholder="optional" /></Field>
          <button class="primary" disabled={create.pending}>Add goal</button>
          <ErrorNote message={create.error} />
        </form>
      )}
    </section>
  );
}

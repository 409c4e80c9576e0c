import { useMemo } from 'preact/hooks';
import { apiClient, must } from '../api/client';
import { navigate } from '../router';
import { chooseOrganization, signIn } from '../session';
import { ErrorNote, Field, formValues, useAction } from '../ui';

/** Log in, or sign up (which also creates the user's organization). */
export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const api = useMemo(() => apiClient(() => null), []);
  const { run, pending, error } = useAction(async (form: HTMLFormElement) => {
    const v = formValues(form);
    if (mode === 'signup') {
      const res = await must(api.POST('/api/auth/signup', { body: { email: v.email, password: v.password, name: v.name || undefined, organization_name: v.organization_name || undefined } }));
      chooseOrganization(res.organization.id);
      signIn(res.access_token, res.expires_in);
    } else {
      const res = await must(api.POST('/api/auth/login', { body: { email: v.email, password: v.password } }));
      signIn(res.access_token, res.expires_in);
    }
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/websites', { replace: true });
  });
  const signup = mode === 'signup';
  return (
    <main id="main" class="auth">
      <h1>Footfall</h1>
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); void run(e.currentTarget); }}>
        <h2>{signup ? 'Create an account' : 'Log in'}</h2>
        <Field label="Email"><input name="email" type="email" autocomplete="email" required /></Field>
        <Field label="Password" hint={signup ? 'At least 10 characters.' : undefined}>
          <input name="password" type="password" autocomplete={signup ? 'new-password' : 'current-password'} minLength={signup ? 10 : undefined} required />
        </Field>
        {signup && <Field label="Your name"><input name="name" autocomplete="name" /></Field>}
        {signup && <Field label="Organization"><input name="organization_name" placeholder="My company" /></Field>}
        <ErrorNote message={error} />
        <button class="primary" disabled={pending}>{pending ? 'Please wait…' : signup ? 'Sign up' : 'Log in'}</button>
        <p class="muted">
          {signup ? <>Already have an account? <a href="/login">Log in</a></> : <>New here? <a href="/signup">Create an account</a></>}
        </p>
      </form>
    </main>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiClient, ApiError, must, type Schemas } from '../api/client';
import { Dashboard } from '../dashboard/Dashboard';
import { ErrorNote, Field, Loading, useLoad } from '../ui';

/**
 * A website's dashboard through a shared link, without an account: the link's token buys a
 * short-lived read-only access token (with the link's password when it has one).
 */
export function SharePage({ token }: { token: string }) {
  const [password, setPassword] = useState<string | undefined>(undefined);
  const [shared, setShared] = useState<Schemas['ShareSessionDto'] | null>(null);
  const open = useMemo(() => apiClient(() => null), []);
  const api = useMemo(() => apiClient(() => shared?.access_token ?? null), [shared]);
  // The access token is short-lived: a new one is asked for (with the same password) before it ends.
  useEffect(() => {
    if (!shared) return;
    const timer = setTimeout(() => setShared(null), Math.max(10, shared.expires_in - 30) * 1000);
    return () => clearTimeout(timer);
  }, [shared]);
  const [attempt] = useLoad(async () => {
    if (shared) return 'open' as const;
    try {
      setShared(await must(open.POST('/api/share/{token}/session', { params: { path: { token } }, body: password === undefined ? {} : { password } })));
      return 'open' as const;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return { needsPassword: true, wrong: password !== undefined };
      if (err instanceof ApiError && (err.status === 404 || err.status === 410)) throw new Error('This link does not exist or was revoked.');
      throw err;
    }
  }, [token, password, shared === null]);
  if (shared) {
    return (
      <main id="main" class="page shared">
        <p class="muted small">Shared read-only view · <a href="/login">Footfall</a></p>
        <Dashboard api={api} website={shared.website} readOnly />
      </main>
    );
  }
  return (
    <main id="main" class="auth">
      <h1>Footfall</h1>
      {attempt.status === 'loading' && <Loading label="Opening the shared dashboard…" />}
      {attempt.status === 'error' && <ErrorNote message={attempt.error} />}
      {attempt.status === 'ok' && attempt.data !== 'open' && (
        <form class="card stack" onSubmit={(e) => { e.preventDefault(); setPassword(String(new FormData(e.currentTarget).get('password') ?? '')); }}>
          <h2>This dashboard is protected</h2>
          <Field label="Password"><input name="password" type="password" autocomplete="current-password" required autofocus /></Field>
          {attempt.data.wrong && <ErrorNote message="Wrong password." />}
          <button class="primary">Open</button>
        </form>
      )}
    </main>
  );
}

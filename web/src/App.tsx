import { useEffect, useMemo } from 'preact/hooks';
import { apiClient, must } from './api/client';
import { AppCtx, type AppContext } from './app-context';
import { Layout } from './Layout';
import { match, navigate, useLocation } from './router';
import { chosenOrganization, session, signOut } from './session';
import { useSignal } from './signal';
import { Show, useLoad } from './ui';
import { AuthPage } from './pages/AuthPage';
import { SharePage } from './pages/SharePage';
import { WebsitesPage } from './pages/WebsitesPage';
import { WebsiteSettingsPage } from './pages/WebsiteSettingsPage';
import { DashboardPage } from './dashboard/DashboardPage';
import { FunnelPage } from './dashboard/FunnelPage';
import { ApiKeysPage } from './settings/ApiKeysPage';
import { MembersPage } from './settings/MembersPage';
import { NotFound } from './pages/NotFound';

export function App() {
  const { path } = useLocation();
  const current = useSignal(session);
  const share = match('/share/:token', path);
  if (share) return <SharePage token={share.token} />;
  if (path === '/login' || path === '/signup') {
    if (current) return <Redirect to="/websites" />;
    return <AuthPage mode={path === '/login' ? 'login' : 'signup'} />;
  }
  if (!current) return <Redirect to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />;
  return <SignedIn token={current.token} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function SignedIn({ token }: { token: string }) {
  const api = useMemo(() => apiClient(() => token, signOut), [token]);
  const [me, reloadMe] = useLoad(() => must(api.GET('/api/auth/me')), [api]);
  const chosen = useSignal(chosenOrganization);
  return (
    <Show state={me} retry={reloadMe}>
      {(user) => {
        const organization = user.organizations.find((o) => o.id === chosen) ?? user.organizations[0];
        if (!organization) return <p class="page">You belong to no organization.</p>;
        const ctx: AppContext = { api, me: user, organization, reloadMe };
        return (
          <AppCtx.Provider value={ctx}>
            <Layout>
              <Routes />
            </Layout>
          </AppCtx.Provider>
        );
      }}
    </Show>
  );
}

function Routes() {
  const { path } = useLocation();
  if (path === '/' || path === '/websites') return <WebsitesPage />;
  let p = match('/websites/:id', path);
  if (p) return <DashboardPage websiteId={p.id} />;
  if ((p = match('/websites/:id/settings', path))) return <WebsiteSettingsPage websiteId={p.id} />;
  if ((p = match('/websites/:id/funnels', path))) return <FunnelPage websiteId={p.id} />;
  if (path === '/settings/keys') return <ApiKeysPage />;
  if (path === '/settings/members') return <MembersPage />;
  return <NotFound />;
}

import type { ComponentChildren } from 'preact';
import { canManage, useApp } from './app-context';
import { navigate, useLocation } from './router';
import { chooseOrganization, signOut } from './session';

export function Layout({ children }: { children: ComponentChildren }) {
  const { me, organization } = useApp();
  const { path } = useLocation();
  const link = (href: string, label: string) => (
    <a href={href} aria-current={path === href || (href === '/websites' && path.startsWith('/websites')) ? 'page' : undefined}>{label}</a>
  );
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/websites">Footfall</a>
        <nav aria-label="Main">
          {link('/websites', 'Websites')}
          {canManage(organization.role) && link('/settings/keys', 'API keys')}
          {canManage(organization.role) && link('/settings/members', 'Members')}
        </nav>
        <div class="account">
          <label class="org">
            <span class="sr-only">Organization</span>
            <select
              value={organization.id}
              onChange={(e) => {
                chooseOrganization(e.currentTarget.value);
                // A website of the previous organization is not one of this one's.
                if (path.startsWith('/websites/')) navigate('/websites');
              }}
            >
              {me.organizations.map((o) => (
                <option key={o.id} value={o.id}>{o.name} ({o.role})</option>
              ))}
            </select>
          </label>
          <span class="muted email" title={me.email}>{me.email}</span>
          <button type="button" onClick={signOut}>Log out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}

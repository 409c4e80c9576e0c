import { must } from '../api/client';
import { useApp } from '../app-context';
import { Show, useLoad } from '../ui';
import { Dashboard } from './Dashboard';

export function DashboardPage({ websiteId }: { websiteId: string }) {
  const { api } = useApp();
  const [site] = useLoad(() => must(api.GET('/api/websites/{id}', { params: { path: { id: websiteId } } })), [api, websiteId]);
  return (
    <section class="page">
      <Show state={site}>{(w) => <Dashboard api={api} website={w} />}</Show>
    </section>
  );
}

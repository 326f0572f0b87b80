// The frame around every screen: skip link, top bar (navigation, notifications, the
// signed-in person) and the routed page.
import { useEffect, useRef, useState } from 'react';
import { isManager, useWorkspace } from '../lib/context.ts';
import { navigate, paths, usePathname, useRoute } from '../lib/router.ts';
import { humanize } from '../lib/format.ts';
import { Link } from '../components/Link.tsx';
import { MainNav } from './MainNav.tsx';
import { useTopbarHeight } from '../hooks/useTopbarHeight.ts';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { QueuePage } from '../pages/QueuePage.tsx';
import { WorkflowPage } from '../pages/WorkflowPage.tsx';
import { TasksPage } from '../pages/TasksPage.tsx';
import { PreferencesPage } from '../pages/PreferencesPage.tsx';
import { AdminPeoplePage } from '../pages/AdminPeoplePage.tsx';
import { AdminIntegrationsPage } from '../pages/AdminIntegrationsPage.tsx';
import { AdminAuditPage } from '../pages/AdminAuditPage.tsx';
import { AdminWorkflowsPage } from '../pages/AdminWorkflowsPage.tsx';
import { AdminWorkflowPage } from '../pages/AdminWorkflowPage.tsx';
import { AdminActionsPage } from '../pages/AdminActionsPage.tsx';
import { AdminSettingsPage } from '../pages/AdminSettingsPage.tsx';
import { OutboxPage } from '../pages/OutboxPage.tsx';
import { CustomersPage } from '../pages/CustomersPage.tsx';
import { CustomerPage } from '../pages/CustomerPage.tsx';
import { ForecastPage } from '../pages/ForecastPage.tsx';
import { TeamPage } from '../pages/TeamPage.tsx';
import { ViewerHome } from '../pages/ViewerHome.tsx';
import { EmptyState } from '../components/States.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { useHotkeys } from '../hooks/useHotkeys.ts';
import { useScrollToAnchor } from '../hooks/useScrollToAnchor.ts';

// No lazy screens: they add ~45 kB in all, while React's Suspense reveal throttle would add
// ~300 ms to the first opening of each (measured).
const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous item in the queue'],
  ['Enter', 'Open the highlighted item'],
  ['/', 'Search the queue'],
  ['Enter (in the chat)', 'Send (or Shift+Enter, per your preferences)'],
  ['Esc', 'Close a dialog or the notifications'],
  ['?', 'Show this list'],
];

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', manager: 'Manager', csm: 'CSM', viewer: 'Viewer' };
const TITLES: Record<string, string> = { queue: 'Queue', workflow: 'Workflow', tasks: 'Tasks', preferences: 'Preferences', outbox: 'Sent mail', customers: 'Customers', customer: 'Customer', forecast: 'Forecast', team: 'Team', 'admin-people': 'People', 'admin-integrations': 'Integrations', 'admin-audit': 'Audit', 'admin-workflows': 'Workflows', 'admin-workflow': 'Workflow definition', 'admin-actions': 'Actions', 'admin-settings': 'Settings', 'not-found': 'Not found' };

/** `focusOnOpen`: the workspace opens after a sign-in here, so the focus goes to its content. */
export function AppShell({ focusOnOpen = false }: { focusOnOpen?: boolean }) {
  const { profile, signOut } = useWorkspace();
  const route = useRoute();
  // A link to a place in a page (a chat citation) lands on it once the page draws it.
  useScrollToAnchor();
  const pathname = usePathname();
  const manager = isManager(profile);
  // A manager's home is the team page, not their own (usually empty) queue.
  useEffect(() => {
    if (manager && pathname === '/') navigate(paths.team, { replace: true });
  }, [manager, pathname]);
  const mainRef = useRef<HTMLElement>(null);
  const topbarRef = useRef<HTMLElement>(null);
  useTopbarHeight(topbarRef);
  // After a sign-in the page the focus was on is gone, leaving it on the page's body: it goes
  // to the content, where Skip to content puts it, so Tab reaches the page's first control and
  // a screen reader starts at the page, not at the top bar. Without scrolling: the content is
  // taller than a phone's screen, so the browser scrolled it to its top, the top bar out of sight.
  useEffect(() => { if (focusOnOpen) mainRef.current?.focus({ preventScroll: true }); }, [focusOnOpen]);
  const [help, setHelp] = useState(false);
  useHotkeys({ '?': () => setHelp(true) });

  useEffect(() => {
    document.title = `${TITLES[route.name] ?? 'Renubu'} · Renubu`;
  }, [route.name]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(event) => { event.preventDefault(); mainRef.current?.focus(); }}>Skip to content</a>
      <header ref={topbarRef} className="topbar">
        <Link href={paths.queue} className="brand"><span className="brand-mark" aria-hidden="true">R</span><span className="brand-name">Renubu</span></Link>
        <MainNav profile={profile} route={route.name} />
        <div className="topbar-end">
          <NotificationBell />
          {/* Who is signed in, at every width: the name, the address and the role in words on the bar. */}
          <div className="who" aria-label="Signed in as" role="group">
            <span className="who-name">{profile.full_name}</span>
            <span className="who-meta who-email">{profile.email}</span>
            <span className="who-meta">{ROLE_LABELS[profile.role] ?? humanize(profile.role)} · {profile.org_name}</span>
          </div>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {route.name === 'queue' ? (profile.role === 'viewer' ? <ViewerHome /> : <QueuePage />) : null}
        {route.name === 'workflow' ? <WorkflowPage key={route.executionId} executionId={route.executionId} /> : null}
        {route.name === 'tasks' ? <TasksPage /> : null}
        {route.name === 'team' ? <TeamPage /> : null}
        {route.name === 'preferences' ? <PreferencesPage /> : null}
        {route.name === 'outbox' ? <OutboxPage /> : null}
        {route.name === 'admin-people' ? <AdminPeoplePage /> : null}
        {route.name === 'admin-integrations' ? <AdminIntegrationsPage /> : null}
        {route.name === 'admin-audit' ? <AdminAuditPage /> : null}
        {route.name === 'admin-workflows' ? <AdminWorkflowsPage /> : null}
        {route.name === 'admin-workflow' ? <AdminWorkflowPage key={route.workflowKey} workflowKey={route.workflowKey} /> : null}
        {route.name === 'admin-actions' ? <AdminActionsPage /> : null}
        {route.name === 'admin-settings' ? <AdminSettingsPage /> : null}
        {route.name === 'customers' ? <CustomersPage /> : null}
        {route.name === 'customer' ? <CustomerPage key={route.customerId} customerId={route.customerId} /> : null}
        {route.name === 'forecast' ? <ForecastPage /> : null}
        {route.name === 'not-found' ? (
          <EmptyState title="There is nothing at this address." action={<Link href={paths.queue} className="btn">Back to the queue</Link>} />
        ) : null}
      </main>
      {help ? (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <dl className="shortcuts">
            {SHORTCUTS.map(([keys, what]) => <div key={keys}><dt><kbd>{keys}</kbd></dt><dd>{what}</dd></div>)}
          </dl>
        </Dialog>
      ) : null}
    </div>
  );
}

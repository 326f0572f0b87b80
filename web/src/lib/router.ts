// A tiny history router: the workspace has six screens, not enough to justify a library.
import { useEffect, useRef, useSyncExternalStore } from 'react';

export type Route =
  | { name: 'queue' }
  | { name: 'workflow'; executionId: string }
  | { name: 'tasks' }
  | { name: 'preferences' }
  | { name: 'outbox' }
  | { name: 'customers' }
  | { name: 'team' }
  | { name: 'customer'; customerId: string }
  | { name: 'forecast' }
  | { name: 'admin-people' }
  | { name: 'admin-integrations' }
  | { name: 'admin-audit' }
  | { name: 'admin-workflows' }
  | { name: 'admin-workflow'; workflowKey: string }
  | { name: 'admin-actions' }
  | { name: 'admin-settings' }
  | { name: 'not-found' };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/queue') return { name: 'queue' };
  if (path === '/tasks') return { name: 'tasks' };
  if (path === '/preferences') return { name: 'preferences' };
  if (path === '/outbox') return { name: 'outbox' };
  if (path === '/customers') return { name: 'customers' };
  if (path === '/forecast') return { name: 'forecast' };
  if (path === '/admin' || path === '/admin/people') return { name: 'admin-people' };
  if (path === '/admin/integrations') return { name: 'admin-integrations' };
  if (path === '/admin/audit') return { name: 'admin-audit' };
  if (path === '/admin/workflows') return { name: 'admin-workflows' };
  const adminWorkflow = /^\/admin\/workflows\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(path);
  if (adminWorkflow?.[1]) return { name: 'admin-workflow', workflowKey: adminWorkflow[1] };
  if (path === '/admin/actions') return { name: 'admin-actions' };
  if (path === '/admin/settings') return { name: 'admin-settings' };
  if (path === '/team') return { name: 'team' };
  const customer = /^\/customers\/([0-9a-fA-F-]{36})$/.exec(path);
  if (customer?.[1]) return { name: 'customer', customerId: customer[1] };
  const workflow = /^\/workflows\/([0-9a-fA-F-]{36})$/.exec(path);
  if (workflow?.[1]) return { name: 'workflow', executionId: workflow[1] };
  return { name: 'not-found' };
}

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

// Pages that load anew when their own address is opened again (useRevisit).
const revisitListeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === window.location.pathname + window.location.search) {
    revisitListeners.forEach((listener) => listener());
    return;
  }
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
  window.scrollTo?.(0, 0);
}

/**
 * Runs `reload` when the address already shown is opened again — a notification about the
 * workflow in view, clicked — so the page shows what changed rather than nothing happening.
 */
export function useRevisit(reload: () => void): void {
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    const listener = () => latest.current();
    revisitListeners.add(listener);
    return () => { revisitListeners.delete(listener); };
  }, []);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname, () => '/');
}

/** The address's #fragment ("#engagement-…"), followed as the path is: a link within the app may end in one. */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash, () => '');
}

export function useRoute(): Route {
  return parseRoute(usePathname());
}

export const paths = {
  // The queue has its own address: '/' is each role's home (a manager's is the team page).
  home: '/',
  queue: '/queue',
  team: '/team',
  workflow: (executionId: string) => `/workflows/${executionId}`,
  tasks: '/tasks',
  adminPeople: '/admin/people',
  adminIntegrations: '/admin/integrations',
  adminAudit: '/admin/audit',
  adminWorkflows: '/admin/workflows',
  adminWorkflow: (workflowKey: string) => `/admin/workflows/${workflowKey}`,
  adminActions: '/admin/actions',
  adminSettings: '/admin/settings',
  // Outside the workspace: where the invite and reset links land, and "Forgot your password?".
  setPassword: '/set-password',
  resetPassword: '/reset-password',
  preferences: '/preferences',
  outbox: '/outbox',
  customers: '/customers',
  customer: (customerId: string) => `/customers/${customerId}`,
  forecast: '/forecast',
};

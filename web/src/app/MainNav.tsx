// The top bar's links: which pages a role has, in order. Managers reach People
// (/admin/people, docs/admin.md); admins reach every Admin page from it.
import { paths, type Route } from '../lib/router.ts';
import type { Profile } from '../lib/types.ts';
import { queuePageName } from '../lib/context.ts';
import { Link } from '../components/Link.tsx';

export interface NavLink {
  href: string;
  label: string;
  /** The routes on which this link is the current page. */
  current: (route: Route['name']) => boolean;
}

export function navLinks(profile: Pick<Profile, 'role'>): NavLink[] {
  const is = (...names: Route['name'][]) => (route: Route['name']) => names.includes(route);
  const links: (NavLink | null)[] = [
    { href: paths.queue, label: queuePageName(profile), current: is('queue', 'workflow') },
    profile.role === 'manager' || profile.role === 'admin' ? { href: paths.team, label: 'Team', current: is('team') } : null,
    { href: paths.customers, label: 'Customers', current: is('customers', 'customer') },
    profile.role !== 'viewer' ? { href: paths.forecast, label: 'Forecast', current: is('forecast') } : null,
    { href: paths.tasks, label: 'Tasks', current: is('tasks') },
    { href: paths.outbox, label: 'Sent mail', current: is('outbox') },
    { href: paths.preferences, label: 'Preferences', current: is('preferences') },
    profile.role === 'admin' ? { href: paths.adminPeople, label: 'Admin', current: (route) => route.startsWith('admin-') } : null,
    profile.role === 'manager' ? { href: paths.adminPeople, label: 'People', current: is('admin-people') } : null,
  ];
  return links.filter((link): link is NavLink => link !== null);
}

export function MainNav({ profile, route }: { profile: Pick<Profile, 'role'>; route: Route['name'] }) {
  return (
    <nav aria-label="Main" className="topnav">
      {navLinks(profile).map((link) => (
        <Link key={link.label} href={link.href} aria-current={link.current(route) ? 'page' : undefined}>{link.label}</Link>
      ))}
    </nav>
  );
}

// The tabs above every Admin page. Pages of other admin areas add their link here.
// Managers may open People only (docs/admin.md), so they see no tab that would refuse them.
import { Link } from '../../components/Link.tsx';
import { useWorkspace } from '../../lib/context.ts';
import { usePathname } from '../../lib/router.ts';
import type { Role } from '../../lib/types.ts';
import './admin.css';

export const ADMIN_LINKS: { href: string; label: string; managers?: true }[] = [
  { href: '/admin/people', label: 'People', managers: true },
  { href: '/admin/workflows', label: 'Workflows' },
  { href: '/admin/actions', label: 'Actions' },
  { href: '/admin/settings', label: 'Settings' },
  { href: '/admin/integrations', label: 'Integrations' },
  { href: '/admin/audit', label: 'Audit' },
];

export function adminLinksFor(role: Role) {
  return ADMIN_LINKS.filter((link) => role === 'admin' || (role === 'manager' && link.managers));
}

export function AdminNav() {
  const pathname = usePathname();
  const { profile } = useWorkspace();
  const links = adminLinksFor(profile.role);
  if (links.length < 2) return null;
  return (
    <nav className="admin-nav" aria-label="Administration">
      {links.map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname.startsWith(link.href) ? 'page' : undefined}>{link.label}</Link>
      ))}
    </nav>
  );
}

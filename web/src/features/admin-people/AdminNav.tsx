// The tabs above every Admin page. Pages of other admin areas add their link here.
import { Link } from '../../components/Link.tsx';
import { usePathname } from '../../lib/router.ts';
import './admin.css';

export const ADMIN_LINKS: { href: string; label: string }[] = [
  { href: '/admin/people', label: 'People' },
  { href: '/admin/workflows', label: 'Workflows' },
  { href: '/admin/actions', label: 'Actions' },
  { href: '/admin/settings', label: 'Settings' },
  { href: '/admin/integrations', label: 'Integrations' },
  { href: '/admin/audit', label: 'Audit' },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className="admin-nav" aria-label="Administration">
      {ADMIN_LINKS.map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname.startsWith(link.href) ? 'page' : undefined}>{link.label}</Link>
      ))}
    </nav>
  );
}

import { getCurrentUser } from '@/app/(auth)/current-user';
import { GroupTabs } from '@/components/GroupTabs';
import { can } from '@/lib/permissions';
import { ROLE_LABELS } from '@/lib/roles';
import { loadGroup } from './load';

export default async function GroupLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ groupId: string }>;
}) {
  const { groupId } = await params;
  // Signed out: each page redirects to sign-in with its own return path, so the layout stays out.
  if (!(await getCurrentUser())) return children;
  const { workspace, membership } = await loadGroup(groupId, `/groups/${groupId}`);
  const base = `/groups/${workspace.id}`;
  const tabs = [
    { href: base, label: 'Frameworks' },
    { href: `${base}/members`, label: 'Members' },
    ...(can(membership.role, 'audit.read') ? [{ href: `${base}/audit`, label: 'Audit log' }] : []),
  ];
  return (
    <div className="page">
      <div className="group-head">
        <p className="eyebrow">Working group</p>
        <h1>{workspace.name}</h1>
        <p className="muted">
          You are{' '}
          <span className={`role-badge role-${membership.role}`}>
            {ROLE_LABELS[membership.role]}
          </span>
          {membership.delegation && <> for {membership.delegation}</>}
        </p>
      </div>
      <GroupTabs tabs={tabs} />
      {children}
    </div>
  );
}

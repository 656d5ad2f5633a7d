import type { Metadata } from 'next';
import { EmptyState } from '@/components/EmptyState';
import { listAudit } from '@/db/queries/audit';
import { can } from '@/lib/permissions';
import { loadGroup } from '../load';
import { Time } from '@/components/time/Time';

export const metadata: Metadata = { title: 'Audit log' };

const ACTION_LABELS: Record<string, string> = {
  'workspace.created': 'Created the group',
  'workspace.renamed': 'Renamed the group',
  'group.second_factor_required': 'Required a second factor',
  'group.second_factor_optional': 'Made the second factor optional',
  'member.joined': 'Joined through an invite link',
  'member.role_changed': 'Changed a role',
  'member.removed': 'Removed a member',
  'member.left': 'Left the group',
  'member.delegation_set': 'Set a delegation',
  'invite.created': 'Created an invite link',
  'invite.revoked': 'Withdrew an invite link',
  'framework.created': 'Created a framework',
  'framework.renamed': 'Renamed a framework',
  'framework.archived': 'Archived a framework',
  'framework.restored': 'Restored a framework',
  'framework.deleted': 'Deleted a framework',
};

export default async function AuditPage({ params }: { params: Promise<{ groupId: string }> }) {
  const { groupId } = await params;
  const { db, workspace, membership } = await loadGroup(groupId, `/groups/${groupId}/audit`);
  if (!can(membership.role, 'audit.read')) {
    return (
      <EmptyState title="Only owners read the audit log">
        <p>Ask an owner of this group if you need to know who changed what.</p>
      </EmptyState>
    );
  }
  const entries = await listAudit(db, workspace.id);
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <p className="muted">
        Membership, invites and framework changes in this group, newest first.
      </p>
      <table className="table" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Whom</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <Time at={e.createdAt} />
              </td>
              <td>{e.actorName ?? 'Former member'}</td>
              <td>{ACTION_LABELS[e.action] ?? e.action}</td>
              <td>{e.targetUserName ?? ''}</td>
              <td className="small">
                {Object.entries(e.details)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

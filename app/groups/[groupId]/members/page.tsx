import type { Metadata } from 'next';
import {
  changeDelegationAction,
  changeRoleAction,
  createInviteAction,
  renameWorkspaceAction,
  removeMemberAction,
  revokeInviteAction,
} from '@/app/actions/groups';
import { setSecondFactorRequirementAction } from '@/app/actions/second-factor';
import { ActionForm } from '@/components/ActionForm';
import { GroupSecondFactorSetting } from '@/components/GroupSecondFactorSetting';
import { ConfirmSubmit } from '@/components/ConfirmSubmit';
import { Field } from '@/components/Field';
import { SubmitButton } from '@/components/SubmitButton';
import { listActiveInvites } from '@/db/queries/invites';
import { listMembers } from '@/db/queries/workspaces';
import { can } from '@/lib/permissions';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '@/lib/roles';
import { loadGroup } from '../load';
import { Time } from '@/components/time/Time';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ groupId: string }> }) {
  const { groupId } = await params;
  const { db, workspace, membership, user } = await loadGroup(
    groupId,
    `/groups/${groupId}/members`,
  );
  const manage = can(membership.role, 'members.manage');
  const [members, invites] = await Promise.all([
    listMembers(db, workspace.id),
    manage ? listActiveInvites(db, workspace.id) : Promise.resolve([]),
  ]);
  return (
    <>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Delegation</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  <div>
                    {m.name}
                    {m.userId === user.id && <span className="muted"> (you)</span>}
                  </div>
                  <div className="muted small">{m.email}</div>
                </td>
                <td>
                  {manage ? (
                    <ActionForm
                      action={changeRoleAction}
                      label={`Change role of ${m.name}`}
                      className="inline-form compact"
                    >
                      <input type="hidden" name="workspaceId" value={workspace.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                        Role of {m.name}
                      </label>
                      <select id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                      <SubmitButton variant="secondary">Change role</SubmitButton>
                    </ActionForm>
                  ) : (
                    ROLE_LABELS[m.role]
                  )}
                </td>
                <td>
                  {manage ? (
                    <ActionForm
                      action={changeDelegationAction}
                      label={`Set delegation of ${m.name}`}
                      className="inline-form compact"
                    >
                      <input type="hidden" name="workspaceId" value={workspace.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <label className="visually-hidden" htmlFor={`delegation-${m.userId}`}>
                        Delegation of {m.name}
                      </label>
                      <input
                        id={`delegation-${m.userId}`}
                        name="delegation"
                        defaultValue={m.delegation ?? ''}
                        placeholder="e.g. France"
                        maxLength={80}
                      />
                      <SubmitButton variant="secondary">Set</SubmitButton>
                    </ActionForm>
                  ) : (
                    (m.delegation ?? <span className="muted">—</span>)
                  )}
                </td>
                <td className="row-actions">
                  {(manage || m.userId === user.id) && (
                    <ActionForm
                      action={removeMemberAction}
                      label={m.userId === user.id ? 'Leave group' : `Remove ${m.name}`}
                    >
                      <input type="hidden" name="workspaceId" value={workspace.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <ConfirmSubmit
                        label={m.userId === user.id ? 'Leave group' : 'Remove'}
                        confirmLabel={
                          m.userId === user.id ? 'Leave this group' : `Remove ${m.name}`
                        }
                      />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {manage && (
        <section className="panel" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite people</h2>
          <p className="muted">
            Make a link and send it yourself. Whoever opens it signs up or in and joins with the
            role you choose.
          </p>
          <ActionForm
            action={createInviteAction}
            label="Create invite link"
            className="inline-form"
            linkLabel="Invite link"
          >
            <input type="hidden" name="workspaceId" value={workspace.id} />
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select
                id="invite-role"
                name="role"
                defaultValue="commenter"
                aria-describedby="invite-role-hint"
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="invite-expiry">Expires after</label>
              <select id="invite-expiry" name="expiresInDays" defaultValue="7">
                <option value="1">1 day</option>
                <option value="7">7 days</option>
                <option value="30">30 days</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="invite-uses">Can be used</label>
              <select id="invite-uses" name="maxUses" defaultValue="1">
                <option value="1">once</option>
                <option value="5">5 times</option>
                <option value="25">25 times</option>
              </select>
            </div>
            <SubmitButton pendingLabel="Creating…">Create link</SubmitButton>
            <ul id="invite-role-hint" className="hint role-hints">
              {ROLES.map((r) => (
                <li key={r}>
                  <strong>{ROLE_LABELS[r]}</strong>: {ROLE_DESCRIPTIONS[r].toLowerCase()}
                </li>
              ))}
            </ul>
          </ActionForm>
          {invites.length > 0 && (
            <table className="table" aria-label="Open invite links">
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invites.map((i) => (
                  <tr key={i.id}>
                    <td>{ROLE_LABELS[i.role]}</td>
                    <td>
                      {i.uses} of {i.maxUses}
                    </td>
                    <td>
                      <Time at={i.expiresAt} />
                    </td>
                    <td className="row-actions">
                      <ActionForm action={revokeInviteAction} label="Withdraw invite link">
                        <input type="hidden" name="workspaceId" value={workspace.id} />
                        <input type="hidden" name="inviteId" value={i.id} />
                        <SubmitButton variant="quiet">Withdraw</SubmitButton>
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {can(membership.role, 'workspace.rename') && (
        <section className="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Group settings</h2>
          <ActionForm action={renameWorkspaceAction} label="Rename group" className="inline-form">
            <input type="hidden" name="workspaceId" value={workspace.id} />
            <Field
              label="Group name"
              name="name"
              defaultValue={workspace.name}
              required
              maxLength={120}
            />
            <SubmitButton variant="secondary">Rename group</SubmitButton>
          </ActionForm>
          <GroupSecondFactorSetting
            workspaceId={workspace.id}
            required={workspace.requireSecondFactor}
            action={setSecondFactorRequirementAction}
          />
        </section>
      )}
    </>
  );
}

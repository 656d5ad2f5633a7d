import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listDocumentUpdates } from '../../db/queries/documents';
import { readFramework } from '../framework';
import { listAudit } from '../../db/queries/audit';
import { findFramework, listFrameworks } from '../../db/queries/frameworks';
import { findMembership, findWorkspace } from '../../db/queries/workspaces';
import { insertTestUser, testDatabaseConfigs } from '../../db/testing';
import { recordAccessChanges } from '../collab/testing/access-recorder';
import {
  authenticate,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  SIGN_IN_WINDOW_MS,
} from './sign-in';
import { AppError } from '../errors';
import type { Role } from '../roles';
import { SIGN_UP_MESSAGES, signUp } from './accounts';
import {
  createFrameworkAs,
  deleteFrameworkAs,
  renameFrameworkAs,
  setFrameworkArchivedAs,
} from './frameworks';
import {
  acceptInvite,
  createInviteLink,
  INVITE_MESSAGES,
  previewInvite,
  revokeInviteLink,
} from './invites';
import { changeMemberDelegation, changeMemberRole, removeMember } from './members';
import { useServiceFixture } from './testing/fixtures';
import { createWorkspaceAs, renameWorkspaceAs } from './workspaces';

const TEMPLATE_KINDS_FIVE_LAYER = [
  'monitoring',
  'presence',
  'air',
  'maritime',
  'enablers',
  'integration',
  'eastern-flank',
];

async function expectAppError(promise: Promise<unknown>, kind: AppError['kind'], message?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe(kind);
  if (message) expect((error as AppError).message).toBe(message);
}

describe.each(testDatabaseConfigs())('authorised services on $name', ({ config }) => {
  const fx = useServiceFixture(config);

  /** A group with one member of each role. */
  async function groupWithRoles() {
    const db = fx.db;
    const owner = await insertTestUser(db, 'Owner');
    const ws = await createWorkspaceAs(db, owner.id, 'Working group');
    const members: Record<Role, { id: string }> = {
      owner,
      editor: owner,
      commenter: owner,
      viewer: owner,
    };
    for (const role of ['editor', 'commenter', 'viewer'] as const) {
      const { token } = await createInviteLink(db, owner.id, ws.id, {
        role,
        expiresInDays: 1,
        maxUses: 1,
      });
      const user = await insertTestUser(db, role);
      await acceptInvite(db, user.id, token);
      members[role] = user;
    }
    return { ws, members };
  }

  it('signs up once per email, with clear messages for bad input', async () => {
    const email = `signup.${Date.now()}@example.test`;
    const user = await signUp(fx.db, { name: 'Ana', email, password: 'a long passphrase' });
    expect(user.email).toBe(email);
    await expectAppError(
      signUp(fx.db, {
        name: 'Ana 2',
        email: email.toUpperCase(),
        password: 'another passphrase',
      }),
      'bad_request',
      SIGN_UP_MESSAGES.notCreated,
    );
    await expectAppError(
      signUp(fx.db, {
        name: 'Bo',
        email: `weak.${Date.now()}@example.test`,
        password: 'short',
      }),
      'bad_request',
      'Use at least 10 characters.',
    );
  });

  it('answers a wrong password and an unknown account alike, then rate limits', async () => {
    const email = `auth.${Date.now()}@example.test`;
    await signUp(fx.db, { name: 'Cy', email, password: 'the right passphrase' });
    const address = `10.0.0.${Math.floor(Math.random() * 250)}`;
    const wrong = await authenticate(fx.db, { email, password: 'wrong passphrase', address });
    const unknown = await authenticate(fx.db, {
      email: `nobody.${email}`,
      password: 'x',
      address,
    });
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrong);
    const ok = await authenticate(fx.db, { email, password: 'the right passphrase', address });
    expect(ok).toEqual({ ok: true, user: expect.objectContaining({ email }) });

    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await authenticate(fx.db, { email, password: 'guess', address: null });
    }
    const locked = await authenticate(fx.db, {
      email,
      password: 'the right passphrase',
      address: null,
    });
    expect(locked).toMatchObject({ ok: false, reason: 'rate_limited' });
    if (!locked.ok && locked.reason === 'rate_limited') {
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_WINDOW_MS / 1000);
    }
    // After the window the account opens again.
    const later = new Date(Date.now() + SIGN_IN_WINDOW_MS + 1000);
    expect(
      (await authenticate(fx.db, { email, password: 'the right passphrase', address: null }, later))
        .ok,
    ).toBe(true);
  });

  it('rate limits an address that guesses across many accounts', async () => {
    const address = `192.0.2.${Math.floor(Math.random() * 250)}-${Date.now()}`;
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      await authenticate(fx.db, {
        email: `spray${i}.${Date.now()}@example.test`,
        password: 'x',
        address,
      });
    }
    const email = `victim.${Date.now()}@example.test`;
    await signUp(fx.db, { name: 'Dee', email, password: 'the right passphrase' });
    expect(
      await authenticate(fx.db, { email, password: 'the right passphrase', address }),
    ).toMatchObject({
      reason: 'rate_limited',
    });
    expect(
      (
        await authenticate(fx.db, {
          email,
          password: 'the right passphrase',
          address: 'elsewhere',
        })
      ).ok,
    ).toBe(true);
  });

  it('joins through an invite once; expired, used-up, withdrawn and tampered links say why', async () => {
    const db = fx.db;
    const owner = await insertTestUser(db, 'Owner');
    const ws = await createWorkspaceAs(db, owner.id, 'Invites');
    const { token } = await createInviteLink(db, owner.id, ws.id, {
      role: 'commenter',
      expiresInDays: 7,
      maxUses: 1,
    });
    expect(await previewInvite(db, token)).toEqual({
      state: 'valid',
      workspaceName: 'Invites',
      role: 'commenter',
    });
    const first = await insertTestUser(db, 'First');
    expect(await acceptInvite(db, first.id, token)).toEqual({ workspaceId: ws.id, joined: true });
    expect((await findMembership(db, ws.id, first.id))?.role).toBe('commenter');
    expect(await acceptInvite(db, first.id, token).catch((e: AppError) => e.message)).toBe(
      INVITE_MESSAGES.used_up,
    );

    const second = await insertTestUser(db, 'Second');
    await expectAppError(
      acceptInvite(db, second.id, token),
      'bad_request',
      INVITE_MESSAGES.used_up,
    );
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    await expectAppError(
      acceptInvite(db, second.id, tampered),
      'bad_request',
      INVITE_MESSAGES.invalid,
    );
    await expectAppError(
      acceptInvite(db, second.id, 'short'),
      'bad_request',
      INVITE_MESSAGES.invalid,
    );
    expect(await previewInvite(db, tampered)).toEqual({ state: 'invalid' });

    const expiring = await createInviteLink(db, owner.id, ws.id, {
      role: 'viewer',
      expiresInDays: 1,
      maxUses: 5,
    });
    const tomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    expect(await previewInvite(db, expiring.token, tomorrow)).toEqual({ state: 'expired' });
    await expectAppError(
      acceptInvite(db, second.id, expiring.token, tomorrow),
      'bad_request',
      INVITE_MESSAGES.expired,
    );

    await revokeInviteLink(db, owner.id, ws.id, expiring.invite.id);
    await expectAppError(
      acceptInvite(db, second.id, expiring.token),
      'bad_request',
      INVITE_MESSAGES.revoked,
    );
    expect(await findMembership(db, ws.id, second.id)).toBeUndefined();

    const audit = (await listAudit(db, ws.id)).map((e) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'member.joined',
        'invite.created',
        'invite.revoked',
        'workspace.created',
      ]),
    );
  });

  it('shows outsiders "not found" for any group or framework id', async () => {
    const db = fx.db;
    const { ws, members } = await groupWithRoles();
    const framework = await createFrameworkAs(db, members.editor.id, ws.id, {
      title: 'Draft',
      template: 'four-leg',
    });
    const outsider = await insertTestUser(db, 'Outsider');
    await expectAppError(createFrameworkAs(db, outsider.id, ws.id, { title: 'X' }), 'not_found');
    await expectAppError(
      renameFrameworkAs(db, outsider.id, {
        workspaceId: ws.id,
        frameworkId: framework.id,
        title: 'X',
      }),
      'not_found',
    );
    await expectAppError(renameWorkspaceAs(db, outsider.id, 'not-a-uuid', 'X'), 'not_found');
    // A member of another group cannot reach this group's framework through their own group id.
    const otherWs = await createWorkspaceAs(db, outsider.id, 'Other');
    await expectAppError(
      deleteFrameworkAs(db, outsider.id, { workspaceId: otherWs.id, frameworkId: framework.id }),
      'not_found',
    );
    expect((await findFramework(db, framework.id))?.title).toBe('Draft');
  });

  it('forbids read-only roles every mutation and changes nothing', async () => {
    const db = fx.db;
    const { ws, members } = await groupWithRoles();
    const framework = await createFrameworkAs(db, members.owner.id, ws.id, { title: 'Original' });
    for (const role of ['commenter', 'viewer'] as const) {
      const id = members[role].id;
      await expectAppError(createFrameworkAs(db, id, ws.id, { title: 'Mine' }), 'forbidden');
      await expectAppError(
        renameFrameworkAs(db, id, {
          workspaceId: ws.id,
          frameworkId: framework.id,
          title: 'Changed',
        }),
        'forbidden',
      );
      await expectAppError(
        setFrameworkArchivedAs(db, id, {
          workspaceId: ws.id,
          frameworkId: framework.id,
          archived: true,
        }),
        'forbidden',
      );
      await expectAppError(
        deleteFrameworkAs(db, id, { workspaceId: ws.id, frameworkId: framework.id }),
        'forbidden',
      );
      await expectAppError(renameWorkspaceAs(db, id, ws.id, 'Hijacked'), 'forbidden');
      await expectAppError(
        changeMemberRole(db, id, { workspaceId: ws.id, userId: id, role: 'owner' }),
        'forbidden',
      );
      await expectAppError(
        createInviteLink(db, id, ws.id, { role: 'owner', expiresInDays: 1, maxUses: 1 }),
        'forbidden',
      );
      await expectAppError(
        changeMemberDelegation(db, id, { workspaceId: ws.id, userId: id, delegation: 'EU' }),
        'forbidden',
      );
      await expectAppError(
        removeMember(db, id, { workspaceId: ws.id, userId: members.editor.id }),
        'forbidden',
      );
      expect((await findMembership(db, ws.id, id))?.role).toBe(role);
    }
    // Editors create and rename but do not delete or manage members.
    await expectAppError(
      deleteFrameworkAs(db, members.editor.id, { workspaceId: ws.id, frameworkId: framework.id }),
      'forbidden',
    );
    await expectAppError(
      changeMemberRole(db, members.editor.id, {
        workspaceId: ws.id,
        userId: members.viewer.id,
        role: 'editor',
      }),
      'forbidden',
    );
    expect(await findFramework(db, framework.id)).toMatchObject({
      title: 'Original',
      archivedAt: null,
    });
    expect((await findWorkspace(db, ws.id))?.name).toBe('Working group');
    expect((await listFrameworks(db, ws.id, { archived: false })).map((f) => f.title)).toEqual([
      'Original',
    ]);
  });

  it('refuses to demote or remove the last owner, and lets owners hand over', async () => {
    const db = fx.db;
    const { ws, members } = await groupWithRoles();
    const lastOwner = 'A working group needs at least one owner. Make someone else an owner first.';
    await expectAppError(
      changeMemberRole(db, members.owner.id, {
        workspaceId: ws.id,
        userId: members.owner.id,
        role: 'editor',
      }),
      'conflict',
      lastOwner,
    );
    await expectAppError(
      removeMember(db, members.owner.id, { workspaceId: ws.id, userId: members.owner.id }),
      'conflict',
      lastOwner,
    );
    await changeMemberRole(db, members.owner.id, {
      workspaceId: ws.id,
      userId: members.editor.id,
      role: 'owner',
    });
    await removeMember(db, members.owner.id, { workspaceId: ws.id, userId: members.owner.id });
    expect(await findMembership(db, ws.id, members.owner.id)).toBeUndefined();
    await expectAppError(
      changeMemberRole(db, members.editor.id, {
        workspaceId: ws.id,
        userId: members.viewer.id,
        role: 'superuser',
      }),
      'bad_request',
    );
  });

  it('lets any member leave, and tells the sync server about role changes and removals', async () => {
    const db = fx.db;
    const { ws, members } = await groupWithRoles();
    const { seen, stop: unsubscribe } = recordAccessChanges();
    try {
      await changeMemberRole(db, members.owner.id, {
        workspaceId: ws.id,
        userId: members.commenter.id,
        role: 'viewer',
      });
      await removeMember(db, members.viewer.id, { workspaceId: ws.id, userId: members.viewer.id });
      const framework = await createFrameworkAs(db, members.editor.id, ws.id, {
        title: 'Gone soon',
      });
      await deleteFrameworkAs(db, members.owner.id, {
        workspaceId: ws.id,
        frameworkId: framework.id,
      });
      expect(seen).toEqual([
        { kind: 'member', workspaceId: ws.id, userId: members.commenter.id },
        { kind: 'member', workspaceId: ws.id, userId: members.viewer.id },
        { kind: 'framework', workspaceId: ws.id, frameworkId: framework.id },
      ]);
    } finally {
      unsubscribe();
    }
    const audit = await listAudit(db, ws.id);
    expect(audit.slice(0, 4).map((e) => e.action)).toEqual([
      'framework.deleted',
      'framework.created',
      'member.left',
      'member.role_changed',
    ]);
  });

  it('validates names, titles and templates', async () => {
    const db = fx.db;
    const owner = await insertTestUser(db, 'Owner');
    await expectAppError(
      createWorkspaceAs(db, owner.id, '   '),
      'bad_request',
      'Enter a name for the group.',
    );
    const ws = await createWorkspaceAs(db, owner.id, 'Valid');
    await expectAppError(
      createFrameworkAs(db, owner.id, ws.id, { title: 'x'.repeat(201) }),
      'bad_request',
      'Use at most 200 characters.',
    );
    await expectAppError(
      createFrameworkAs(db, owner.id, ws.id, { title: 'Ok', template: 'no-such' }),
      'bad_request',
      'Choose a template.',
    );
    const f = await createFrameworkAs(db, owner.id, ws.id, { title: 'Ok', template: 'five-layer' });
    expect(f.template).toBe('five-layer');
    // The document starts as the template, with the framework's title, attributed to its creator.
    const updates = await listDocumentUpdates(db, f.id);
    expect(updates).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, updates[0]!.update);
    const view = readFramework(doc);
    expect(view.title).toBe('Ok');
    expect(view.layers.map((l) => l.kind)).toEqual(TEMPLATE_KINDS_FIVE_LAYER);
    await changeMemberDelegation(db, owner.id, {
      workspaceId: ws.id,
      userId: owner.id,
      delegation: ' Poland ',
    });
    expect((await findMembership(db, ws.id, owner.id))?.delegation).toBe('Poland');
  });
});

import { expect, test } from '@playwright/test';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

test('owner invites a commenter, who cannot create until promoted to editor', async ({
  browser,
}) => {
  const ownerContext = await browser.newContext();
  const guestContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const guest = await guestContext.newPage();
  const ana = newPerson('Ana Owner');
  const ben = newPerson('Ben Reviewer');

  await signUp(owner, ana);
  const groupPath = await createGroup(owner, 'Political-legal sub-group');
  const invitePath = await createInvite(owner, groupPath, 'commenter');

  // The invitee opens the link signed out, creates an account and comes back to join.
  await guest.goto(invitePath);
  await expect(
    guest.getByRole('heading', { name: 'Join Political-legal sub-group' }),
  ).toBeVisible();
  await guest.getByRole('link', { name: 'Create account to join' }).click();
  await guest.getByLabel('Display name').fill(ben.name);
  await guest.getByLabel('Email').fill(ben.email);
  await guest.getByLabel('Password').fill(ben.password);
  await guest.getByRole('button', { name: 'Create account' }).click();
  await guest.getByRole('button', { name: 'Join group' }).click();
  await expect(
    guest.getByRole('heading', { level: 1, name: 'Political-legal sub-group' }),
  ).toBeVisible();
  await expect(guest.getByText('Commenter', { exact: true })).toBeVisible();
  await expect(guest.getByRole('form', { name: 'New framework' })).toHaveCount(0);

  // Calling the mutation route directly is refused and creates nothing.
  const groupId = groupPath.split('/').pop();
  const forbidden = await guest.request.post(`/api/groups/${groupId}/frameworks`, {
    data: { title: 'Sneaky framework' },
  });
  expect(forbidden.status()).toBe(403);
  const listed = await guest.request.get(`/api/groups/${groupId}/frameworks`);
  expect((await listed.json()).frameworks).toEqual([]);

  // The owner sees the new member and promotes them.
  await owner.goto(`${groupPath}/members`);
  const roleSelect = owner.getByRole('combobox', { name: `Role of ${ben.name}` });
  await expect(roleSelect).toHaveValue('commenter');
  await roleSelect.selectOption('editor');
  await owner
    .getByRole('form', { name: `Change role of ${ben.name}` })
    .getByRole('button', { name: 'Change role' })
    .click();
  await expect(
    owner.getByRole('status').filter({ hasText: 'Role changed to editor.' }),
  ).toBeVisible();

  // Now the second user can create a framework.
  await guest.reload();
  await guest.getByLabel('Title').fill('Security guarantees, draft 1');
  await guest.getByRole('radio', { name: /Four-leg package/ }).check();
  await guest.getByRole('button', { name: 'Create framework' }).click();
  await expect(guest.getByRole('heading', { name: 'Security guarantees, draft 1' })).toBeVisible();

  // And the owner sees it in the group's list and in the audit log.
  await owner.goto(groupPath);
  await expect(owner.getByRole('link', { name: 'Security guarantees, draft 1' })).toBeVisible();
  await owner.goto(`${groupPath}/audit`);
  const audit = owner.getByRole('table', { name: 'Audit log' });
  await expect(audit.getByRole('row', { name: /Joined through an invite link/ })).toBeVisible();
  await expect(audit.getByRole('row', { name: /Changed a role.*editor/ })).toBeVisible();
  await expect(audit.getByRole('row', { name: /Ben Reviewer.*Created a framework/ })).toBeVisible();

  await ownerContext.close();
  await guestContext.close();
});

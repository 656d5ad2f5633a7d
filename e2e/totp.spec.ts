import { expect, test, type Page } from '@playwright/test';
import { totpCode } from '../lib/auth/totp';
import { createGroup, createInvite, newPerson, signIn, signUp } from './support/pages';

/** Turns on the second factor from the profile the way a person with an app would. */
async function enrol(page: Page, screenshot?: string): Promise<string> {
  await page.goto('/profile');
  await page.getByRole('button', { name: 'Turn on second factor' }).press('Enter');
  await expect(page.getByRole('img', { name: 'QR code of your second-factor key' })).toBeVisible();
  const secret = (await page.getByLabel('Key', { exact: true }).innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // The setup link carries the same key, as an authenticator app reads it from the QR code.
  await page.getByText('Setup link (otpauth://)').click();
  await expect(page.getByLabel('Setup link')).toHaveValue(
    new RegExp(`^otpauth://totp/.*secret=${secret}`),
  );
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Confirm and turn on' }).press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not right' })).toBeVisible();
  await page.getByLabel('Code from the app').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Confirm and turn on' }).press('Enter');
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(8);
  if (screenshot)
    await page.screenshot({ path: 'screenshots/totp-recovery-codes.png', fullPage: true });
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByText('Your second factor is on')).toBeVisible();
  return secret;
}

/** A code an app a step ahead would show: valid now, and never the one enrolment just spent. */
const nextStepCode = (secret: string) => totpCode(secret, new Date(Date.now() + 30_000));

test('enrol, sign in with password and code; a group that requires it refuses a member until they enrol', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ownerContext = await browser.newContext();
  const memberContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const member = await memberContext.newPage();
  const ana = newPerson('Ana Chair');
  const ben = newPerson('Ben Delegate');

  await signUp(owner, ana);
  const secret = await enrol(owner, 'screenshots/totp-enrolment.png');

  // Sign out; the password alone now leads to the second step, not into the product.
  await owner.getByRole('button', { name: 'Sign out' }).click();
  await owner.goto('/signin');
  await signIn(owner, ana);
  await expect(owner.getByRole('heading', { name: 'Second step' })).toBeVisible();
  await expect(owner.getByRole('link', { name: ana.name })).toHaveCount(0);
  await owner.screenshot({ path: 'screenshots/totp-sign-in-step.png', fullPage: true });
  await owner.getByLabel('Code', { exact: true }).fill('123456');
  await owner.getByRole('button', { name: 'Continue' }).click();
  await expect(
    owner.getByRole('alert').filter({ hasText: 'That code is not right' }),
  ).toBeVisible();
  await expect(owner.getByRole('link', { name: ana.name })).toHaveCount(0);
  await owner.getByLabel('Code', { exact: true }).fill(nextStepCode(secret));
  await owner.getByRole('button', { name: 'Continue' }).click();
  await expect(owner.getByRole('link', { name: ana.name })).toBeVisible();

  // Ana's group, with Ben (password, no second factor) as an editor.
  const groupPath = await createGroup(owner, 'Military sub-group');
  const invitePath = await createInvite(owner, groupPath, 'editor');
  await member.goto(invitePath);
  await member.getByRole('link', { name: 'Create account to join' }).click();
  await member.getByLabel('Display name').fill(ben.name);
  await member.getByLabel('Email').fill(ben.email);
  await member.getByLabel('Password').fill(ben.password);
  await member.getByRole('button', { name: 'Create account' }).click();
  await member.getByRole('button', { name: 'Join group' }).click();
  await expect(member.getByRole('heading', { level: 1, name: 'Military sub-group' })).toBeVisible();

  // The owner requires a second factor.
  await owner.goto(`${groupPath}/members`);
  await owner.getByRole('checkbox', { name: 'Require a second factor' }).check();
  await owner.getByRole('button', { name: 'Save second-factor setting' }).press('Enter');
  await expect(
    owner.getByRole('status').filter({ hasText: '1 member has none yet' }),
  ).toBeVisible();

  // Ben is refused on the group's pages and its API, with the way out.
  await member.goto(groupPath);
  await expect(member.getByRole('heading', { name: 'Second factor required' })).toBeVisible();
  await expect(
    member.getByRole('alert').filter({ hasText: 'Turn on a second factor in your profile' }),
  ).toBeVisible();
  const groupId = groupPath.split('/').pop();
  const refused = await member.request.get(`/api/groups/${groupId}/frameworks`);
  expect(refused.status()).toBe(403);
  expect(JSON.stringify(await refused.json())).toContain('requires a second factor');
  await member.screenshot({ path: 'screenshots/totp-group-refusal.png', fullPage: true });

  // After enrolling, Ben gets in.
  await member.getByRole('link', { name: 'Turn on a second factor in your profile' }).click();
  await expect(member).toHaveURL(/\/profile/);
  await enrol(member);
  await member.goto(groupPath);
  await expect(member.getByRole('heading', { level: 1, name: 'Military sub-group' })).toBeVisible();
  expect((await member.request.get(`/api/groups/${groupId}/frameworks`)).status()).toBe(200);

  await ownerContext.close();
  await memberContext.close();
});

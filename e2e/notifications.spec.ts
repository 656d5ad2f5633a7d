import { expect, test } from '@playwright/test';
import { createFramework, joinWithInvite, layer, openEditor, session } from './support/editor';
import { waitForMail } from './support/mail';
import { createGroup, createInvite, newPerson, signIn, signUp } from './support/pages';

/** Issue 19, item 4: a mention is mailed, the mail's links work, the preference is the user's. */
test('a mention reaches the mentioned member by mail; its links open the framework and unsubscribe', async ({
  browser,
  baseURL,
}) => {
  const alma = newPerson('Alma');
  const bruno = newPerson('Bruno');
  const a = await session(browser);
  const b = await session(browser);
  await signUp(a.page, alma);
  const groupPath = await createGroup(a.page, 'Notified group');
  const invite = await createInvite(a.page, groupPath, 'commenter');
  await joinWithInvite(b.page, invite, bruno);
  const frameworkPath = await createFramework(a.page, groupPath, 'Guarantees <by mail>');

  // Bruno mentions Alma in a comment on the first layer.
  await openEditor(b.page, frameworkPath);
  await layer(b.page, 1).getByRole('button', { name: 'Comment', exact: true }).click();
  const composer = b.page.getByRole('form', { name: 'New comment' });
  await composer.getByLabel('Comment').fill('@Alma can you check <b>this</b>?');
  const posted = Date.now();
  await composer.getByRole('button', { name: 'Post comment' }).click();
  await expect(
    b.page
      .getByRole('article', { name: 'Thread by Bruno' })
      .getByText('@Alma can you check <b>this</b>?'),
  ).toBeVisible();

  const mail = await waitForMail(alma.email);
  console.info(`mention mailed and received ${Date.now() - posted} ms after posting`);
  expect(mail.subject).toBe('Bruno mentioned you in "Guarantees <by mail>"');
  expect(mail.text).toContain('@Alma can you check <b>this</b>?');
  // The mail's link opens the thread itself: its panel entry is current and has keyboard focus.
  const open = new RegExp(`Open: (${baseURL}/groups/\\S+)`).exec(mail.text)?.[1];
  expect(open, mail.text).toMatch(/\?thread=[0-9a-f-]{36}$/);
  expect(open!.split('?')[0]).toBe(`${baseURL}${frameworkPath}`);
  await a.page.goto(open!);
  await expect(a.page.getByRole('region', { name: /^Layer 1:/ })).toBeVisible();
  const linked = a.page.getByRole('article', { name: 'Thread by Bruno' });
  await expect(linked).toBeFocused();
  await expect(linked).toHaveAttribute('aria-current', 'true');
  await a.page.screenshot({ path: 'screenshots/deep-link-thread.png' });

  // Signed out (a mail opened on another device), sign-in comes back to the same thread.
  const elsewhere = await session(browser);
  await elsewhere.page.goto(open!);
  await expect(elsewhere.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn(elsewhere.page, alma);
  await expect(elsewhere.page).toHaveURL(open!);
  await expect(elsewhere.page.getByRole('article', { name: 'Thread by Bruno' })).toBeFocused();
  await elsewhere.context.close();

  // Alma chooses the daily digest on her profile.
  await a.page.goto('/profile');
  const form = a.page.getByRole('form', { name: 'Notification mail' });
  await expect(form.getByLabel('Immediately, one mail each')).toBeChecked();
  await form.getByLabel('Daily digest, one mail a day').check();
  await form.getByRole('button', { name: 'Save notification mail' }).click();
  await expect(form.getByRole('status')).toHaveText(
    'Notifications are mailed once a day, in a digest.',
  );
  await a.page.screenshot({ path: 'screenshots/notifications-profile.png', fullPage: true });
  await a.page.reload();
  await expect(
    a.page
      .getByRole('form', { name: 'Notification mail' })
      .getByLabel('Daily digest, one mail a day'),
  ).toBeChecked();

  // The mail's unsubscribe link works without signing in: one click turns mail off.
  const unsubscribe = new RegExp(`${baseURL}/unsubscribe/\\S+`).exec(mail.text)?.[0];
  expect(unsubscribe, mail.text).toBeTruthy();
  const stranger = await session(browser);
  await stranger.page.goto(unsubscribe!);
  await stranger.page.getByRole('button', { name: 'Turn notification mail off' }).click();
  await expect(stranger.page.getByRole('status')).toHaveText(
    `Notification mail to ${alma.email} is off.`,
  );
  await a.page.reload();
  await expect(
    a.page.getByRole('form', { name: 'Notification mail' }).getByLabel('Off'),
  ).toBeChecked();
  // What a mail client's one-click unsubscribe (RFC 8058) sends: a form POST, no session.
  const oneClick = (url: string) =>
    stranger.page.request.post(`${url}/one-click`, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect((await oneClick(unsubscribe!)).status()).toBe(200);
  const forged = unsubscribe!.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  expect((await oneClick(forged)).status()).toBe(404);
  for (const s of [a, b, stranger]) await s.context.close();
});

import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { createGroup, newPerson, signUp } from './support/pages';

/** The ticket route for clients on another origin: members get a ticket that opens the socket. */
test('a member gets a ticket that opens the collaboration socket; others get 404 or 401', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const owner = newPerson('Tess Ticket');
  await signUp(page, owner);
  await createGroup(page, 'Ticket group');
  await page.getByLabel('Title').fill('Ticketed framework');
  await page.getByRole('button', { name: 'Create framework' }).click();
  await expect(page).toHaveURL(/\/frameworks\/[0-9a-f-]{36}$/);
  const frameworkId = new URL(page.url()).pathname.split('/').pop()!;

  const granted = await page.request.post('/api/collab/ticket', { data: { frameworkId } });
  expect(granted.status()).toBe(200);
  expect(granted.headers()['cache-control']).toBe('no-store');
  const { ticket, expiresIn } = (await granted.json()) as { ticket: string; expiresIn: number };
  expect(typeof ticket).toBe('string');
  expect(expiresIn).toBeGreaterThan(0);

  // The ticket alone (no cookie) opens the socket of exactly that document.
  const wsBase = baseURL!.replace(/^http/, 'ws');
  const firstMessage = await new Promise<Buffer>((resolve, reject) => {
    const ws = new WebSocket(
      `${wsBase}/collab/${frameworkId}?ticket=${encodeURIComponent(ticket)}`,
    );
    ws.once('message', (data: Buffer) => {
      resolve(data);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  expect(firstMessage.length).toBeGreaterThan(0);

  expect(
    (
      await page.request.post('/api/collab/ticket', { data: { frameworkId: 'not-an-id' } })
    ).status(),
  ).toBe(400);

  // Someone signed in but not in the group: the same 404 as a framework that does not exist.
  const outsiderContext = await browser.newContext({ baseURL });
  const outsiderPage = await outsiderContext.newPage();
  await signUp(outsiderPage, newPerson('Otto Outsider'));
  const refused = await outsiderPage.request.post('/api/collab/ticket', { data: { frameworkId } });
  expect(refused.status()).toBe(404);
  await outsiderContext.close();

  // Signed out: 401.
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.post('/api/collab/ticket', { data: { frameworkId } })).status()).toBe(
    401,
  );
  await anonymous.dispose();
});

import { expect, test } from '@playwright/test';
import { narrative, openEditor, twoPeopleOnAFramework, typeInNarrative } from './support/editor';

test('an editor whose code announces another schema is told to reload; the others keep editing', async ({
  browser,
}) => {
  const {
    creator,
    invited: stale,
    frameworkPath,
  } = await twoPeopleOnAFramework(
    browser,
    {
      creator: 'Sasha Schema',
      invited: 'Olek Outdated',
      group: 'Schema sub-group',
      framework: 'Guarantees across releases',
    },
    'editor',
  );
  const { page } = creator;

  // Olek's tab runs code from a later release than the server: its websocket announces schema 99
  // (the page's real code, only the announced number rewritten before the socket opens).
  await stale.page.addInitScript(() => {
    const Native = window.WebSocket;
    class Announcing extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(String(url).replace(/([?&]schema=)\d+/, '$199'), protocols);
      }
    }
    window.WebSocket = Announcing;
  });
  await stale.page.goto(frameworkPath);
  await expect(stale.page.getByRole('alert').filter({ hasText: 'Reload the page' })).toBeVisible();
  await expect(stale.page.getByRole('status').filter({ hasText: 'Disconnected' })).toBeVisible();

  // Sasha, on matching code, edits and is saved as usual.
  await openEditor(page, frameworkPath);
  await typeInNarrative(page, 1, 'Monitors deploy within 72 hours.');
  await expect(narrative(page, 1)).toContainText('Monitors deploy within 72 hours.');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
});

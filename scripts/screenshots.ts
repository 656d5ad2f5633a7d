// Takes screenshots of the main pages against a running server, for looking at the UI:
//   BASE_URL=http://localhost:3000 npx tsx scripts/screenshots.ts   (writes screenshots/*.png)
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://localhost:3000';
const out = 'screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
const shot = (name: string) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });

await page.goto(base);
await shot('01-landing');
await page.goto(`${base}/signup`);
await shot('02-signup');
const email = `shots-${Date.now()}@example.test`;
await page.getByLabel('Display name').fill('Amélie Durand');
await page.getByLabel('Email').fill(email);
await page.getByLabel('Password').fill('a long enough password');
await page.getByRole('button', { name: 'Create account' }).click();
await page.getByRole('heading', { name: 'Your working groups' }).waitFor();
await shot('03-home-empty');
await page.getByLabel('Group name').fill('Coalition political-legal sub-group');
await page.getByRole('button', { name: 'Create group' }).click();
await page
  .getByRole('heading', { level: 1, name: 'Coalition political-legal sub-group' })
  .waitFor();
await shot('04-group-empty');
await page.getByLabel('Title').fill('Security guarantees framework, draft 0.3');
await page.getByRole('button', { name: 'Create framework' }).click();
await page.getByRole('textbox', { name: 'Framework title' }).waitFor();
await page.waitForTimeout(1500);
// The editor is long: the first screen is what people see when they open it.
await page.screenshot({ path: `${out}/05-editor.png` });
// Further down: a layer scrolled to (its fields mount as it comes near), and one jumped to from
// the outline (mounted and focused at once).
await page.getByRole('region', { name: /^Layer 2:/ }).scrollIntoViewIfNeeded();
await page.getByRole('textbox', { name: 'Narrative of layer 2' }).waitFor();
await page.screenshot({ path: `${out}/05c-editor-layer-2.png` });
await page.getByRole('navigation', { name: 'Outline' }).getByRole('link').nth(5).click();
await page.getByRole('textbox', { name: 'Narrative of layer 6' }).waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}/05d-editor-outline-jump.png` });
await page.evaluate(() => window.scrollTo(0, 0));
await page.getByRole('button', { name: 'Commitment matrix' }).click();
await page.screenshot({ path: `${out}/05b-matrix.png` });
await page.getByRole('button', { name: 'Layers' }).click();
await page.goBack();
await page.reload();
await shot('06-group-frameworks');
await page.getByRole('link', { name: 'Members' }).click();
await page.getByRole('button', { name: 'Create link' }).click();
await page.getByLabel('Invite link', { exact: true }).waitFor();
await shot('07-members');
await page.getByRole('link', { name: 'Audit log' }).click();
await page.getByRole('table', { name: 'Audit log' }).waitFor();
await shot('08-audit');
await browser.close();

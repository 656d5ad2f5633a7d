import { expect, test, type Page } from '@playwright/test';
import {
  createFramework,
  joinWithInvite,
  layer,
  narrative,
  openEditor,
  session,
  type Session,
} from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

/**
 * Three people in three roles at once: the owner chairs (no delegation), Frank speaks for France
 * (editor), Paula for Poland (commenter). Each acts for their own delegation only.
 */
test.describe.configure({ mode: 'serial' });

let chair: Session;
let france: Session;
let poland: Session;
let frameworkPath: string;
const LIVE = { timeout: 10_000 };

const bar = (page: Page, n: number) =>
  page.getByRole('group', { name: new RegExp(`^Review of Layer ${n}:`) });
const positions = (page: Page, n: number) =>
  layer(page, n).getByRole('table', { name: 'Positions' });

test.beforeAll(async ({ browser }) => {
  chair = await session(browser);
  await signUp(chair.page, newPerson('Carla Chair'));
  const groupPath = await createGroup(chair.page, 'Coalition working group');
  frameworkPath = await createFramework(chair.page, groupPath, 'Security guarantees');
  const editorInvite = await createInvite(chair.page, groupPath, 'editor');
  const commenterInvite = await createInvite(chair.page, groupPath, 'commenter');
  france = await session(browser);
  await joinWithInvite(france.page, editorInvite, newPerson('Frank France'));
  poland = await session(browser);
  await joinWithInvite(poland.page, commenterInvite, newPerson('Paula Poland'));

  // The chair says who speaks for whom.
  await chair.page.goto(`${groupPath}/members`);
  for (const [name, delegation] of [
    ['Frank France', 'France'],
    ['Paula Poland', 'Poland'],
  ] as const) {
    const form = chair.page.getByRole('form', { name: `Set delegation of ${name}` });
    await form.getByLabel(`Delegation of ${name}`).fill(delegation);
    await form.getByRole('button', { name: 'Set' }).click();
    await expect(form.getByRole('status')).toContainText(`Delegation set to ${delegation}`);
  }
  for (const s of [chair, france, poland]) await openEditor(s.page, frameworkPath);
});

test.afterAll(async () => {
  for (const s of [chair, france, poland]) await s?.context.close();
});

test('Poland states its own stance, cannot touch France’s, and consensus names who is missing', async () => {
  const mine = positions(poland.page, 1);
  // France's row is read-only for Poland: no control to state it.
  await expect(mine.getByLabel('Stance of France')).toHaveCount(0);
  await expect(mine.getByRole('row', { name: /France/ })).toContainText('Not stated');
  await expect(bar(poland.page, 1)).toContainText(/Not stated: .*France/);

  await mine.getByLabel('Stance of Poland').selectOption('support');
  await mine.getByLabel('Note on the position of Poland').fill('Logistics hubs in Rzeszów.');
  // By keyboard (the editor's sticky header may cover a row scrolled to the top).
  await mine.getByRole('button', { name: 'State position of Poland' }).press('Enter');

  // France sees it live, with who stated it, and cannot change it.
  const seen = positions(france.page, 1).getByRole('row', { name: /Poland/ });
  await expect(seen).toContainText('Support', LIVE);
  await expect(seen).toContainText('Paula Poland for Poland');
  await expect(positions(france.page, 1).getByLabel('Stance of Poland')).toHaveCount(0);
  await expect(positions(france.page, 1).getByLabel('Stance of France')).toBeVisible();

  // The chair may enter a stance on France's behalf; it is marked as such.
  const chairTable = positions(chair.page, 1);
  await chairTable.getByLabel('Stance of France').selectOption('no_objection');
  await chairTable.getByRole('button', { name: 'Enter for France' }).press('Enter');
  await expect(positions(poland.page, 1).getByRole('row', { name: /France/ })).toContainText(
    'entered by the chair (Carla Chair) for France',
    LIVE,
  );
  await expect(
    bar(poland.page, 1).getByLabel(/^Consensus: Not all stated, \d+ of \d+ stated/),
  ).toBeVisible();
  await layer(poland.page, 1).scrollIntoViewIfNeeded();
  await poland.page.screenshot({ path: 'screenshots/delegations-positions.png' });
});

test('under silence the text is frozen; Poland objects and the silence ends for everyone', async () => {
  const until = await chair.page.evaluate(() => {
    const d = new Date(Date.now() + 3_600_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await bar(chair.page, 1).getByLabel('Silence until').fill(until);
  await bar(chair.page, 1).getByRole('button', { name: 'Start silence' }).click();

  // France's text and stance are frozen while the silence runs.
  await expect(bar(france.page, 1)).toContainText('the text is frozen', LIVE);
  await expect(narrative(france.page, 1)).toHaveAttribute('contenteditable', 'false');
  await expect(france.page.getByRole('textbox', { name: 'Title of layer 1' })).not.toBeEditable();
  await expect(positions(france.page, 1).getByLabel('Stance of France')).toHaveCount(0);
  // France, an editor without a running objection, sees the objection form for France only.
  await expect(bar(france.page, 1).getByLabel('Object for France (reason)')).toBeVisible();

  await bar(poland.page, 1).getByLabel('Object for Poland (reason)').fill('Warsaw needs a week.');
  await bar(poland.page, 1).getByRole('button', { name: 'Break silence' }).click();
  for (const p of [france.page, chair.page]) {
    await expect(bar(p, 1)).toContainText(
      'Silence broken by Paula Poland for Poland: Warsaw needs a week.',
      LIVE,
    );
  }
  await expect(narrative(france.page, 1)).toHaveAttribute('contenteditable', 'true');
});

test('an ad referendum agreement is confirmed by each capital in turn and becomes agreed', async () => {
  const chairBar = bar(chair.page, 2);
  await chairBar.getByLabel('Change status').selectOption('agreed_ad_ref');
  await chairBar.getByLabel('Confirm by').fill('2031-06-30');
  const capitals = chairBar.getByRole('group', { name: 'Capitals to confirm' });
  for (const box of await capitals.getByRole('checkbox').all()) await box.uncheck();
  await capitals.getByRole('checkbox', { name: 'France' }).check();
  await capitals.getByRole('checkbox', { name: 'Poland' }).check();
  await chairBar.getByRole('button', { name: 'Apply status' }).click();

  await expect(bar(france.page, 2)).toContainText('Pending confirmation by: France, Poland.', LIVE);
  await bar(france.page, 2).getByRole('button', { name: 'Confirm for France' }).click();
  await expect(bar(poland.page, 2)).toContainText('Pending confirmation by: Poland.', LIVE);
  await expect(bar(poland.page, 2)).toContainText('Confirmed: Frank France for France.');
  await expect(bar(poland.page, 2).getByLabel('Status: Agreed ad referendum')).toBeVisible();
  await bar(poland.page, 2).getByRole('button', { name: 'Confirm for Poland' }).click();
  for (const p of [chair.page, france.page, poland.page]) {
    await expect(bar(p, 2).getByLabel('Status: Agreed')).toBeVisible(LIVE);
  }
  // Agreed text is frozen for everyone, the chair included.
  await expect(narrative(chair.page, 2)).toHaveAttribute('contenteditable', 'false');
});

test('an overdue confirmation is flagged on the layer and in the late delegation’s inbox', async () => {
  const chairBar = bar(chair.page, 3);
  await chairBar.getByLabel('Change status').selectOption('agreed_ad_ref');
  await chairBar.getByLabel('Confirm by').fill('2020-01-01');
  const capitals = chairBar.getByRole('group', { name: 'Capitals to confirm' });
  for (const box of await capitals.getByRole('checkbox').all()) await box.uncheck();
  await capitals.getByRole('checkbox', { name: 'Poland' }).check();
  await chairBar.getByRole('button', { name: 'Apply status' }).click();
  await expect(bar(poland.page, 3)).toContainText('Overdue: capitals were to confirm by', LIVE);

  // The scheduler flags it (every 500 ms in the e2e server): Poland's inbox lists it.
  const overdue = poland.page.getByRole('list', { name: 'Overdue confirmations' });
  await expect(async () => {
    await poland.page.goto('/inbox');
    await expect(overdue).toContainText('Your delegation has not confirmed yet.', {
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  await poland.page.screenshot({ path: 'screenshots/delegations-inbox.png' });
  // France was not asked: nothing to chase in its inbox.
  await france.page.goto('/inbox');
  await expect(france.page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(france.page.getByRole('list', { name: 'Overdue confirmations' })).toHaveCount(0);
});

test('one clock: a deadline typed in the chair’s zone reads the same instant, zone named, for everyone', async () => {
  await chair.page.goto('/profile');
  await chair.page.getByLabel('Show and enter times in').selectOption('Asia/Tokyo');
  await chair.page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(
    chair.page.getByRole('form', { name: 'Time zone' }).getByRole('status'),
  ).toContainText('Times are shown in Asia/Tokyo');
  await openEditor(chair.page, frameworkPath);
  const chairBar = bar(chair.page, 4);
  await chairBar.getByLabel('Silence until (Asia/Tokyo)').fill('2031-06-30T18:00');
  await chairBar.getByRole('button', { name: 'Start silence' }).click();
  // 18:00 in Tokyo is 09:00 UTC: France (its browser on UTC) reads that, with the zone named.
  await expect(bar(chair.page, 4)).toContainText('Under silence until 30 Jun 2031, 18:00 GMT+9');
  await openEditor(france.page, frameworkPath);
  await expect(bar(france.page, 4)).toContainText(
    'Under silence until 30 Jun 2031, 09:00 UTC',
    LIVE,
  );
});

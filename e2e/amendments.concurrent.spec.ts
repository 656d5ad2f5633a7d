import { expect, test, type Page } from '@playwright/test';
import {
  createFramework,
  joinWithInvite,
  layer,
  narrative,
  openEditor,
  openFramework,
  session,
  type Session,
  selectPhrase,
  startSilence,
  typeInNarrative,
} from './support/editor';
import { axeWcagAA } from './support/axe';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

/**
 * Amendments with three people at once: Carla chairs (owner, no delegation), Frank speaks for
 * France (editor), Paula for Poland (commenter, who reads and proposes but never edits).
 */
test.describe.configure({ mode: 'serial' });

let chair: Session;
let france: Session;
let poland: Session;
let frameworkPath: string;
const LIVE = { timeout: 10_000 };
const PASSAGE = 'sized to be credible, not symbolic';

const panel = (page: Page) => page.getByRole('region', { name: /^Amendments \(/ });
const amendment = (page: Page, title: string) =>
  panel(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title }) });

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
  await openEditor(chair.page, frameworkPath);
  await openEditor(france.page, frameworkPath);
  // The commenter lands in read mode.
  await openFramework(poland.page, frameworkPath);
});

test.afterAll(async () => {
  for (const s of [chair, france, poland]) await s?.context.close();
});

test('Poland tables, France co-sponsors and competes, the chair merges and accepts: the text changes live', async () => {
  // Poland proposes from read mode: select the passage, "Propose amendment".
  const reader = poland.page.getByRole('article', { name: 'Read mode' });
  await selectPhrase(layer(poland.page, 2), PASSAGE);
  await reader.getByRole('button', { name: 'Propose amendment' }).click();
  const draft = poland.page.getByRole('form', { name: 'New amendment' });
  await expect(draft.getByRole('blockquote')).toHaveText(PASSAGE);
  await draft.getByLabel('By').fill('sized to deter a renewed invasion');
  await draft.getByLabel('Justification').fill('Credibility is measured by deterrence.');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(amendment(poland.page, 'Amendment 1 (Poland)')).toBeVisible(LIVE);
  // Tabling changed nothing in the common text.
  await expect(narrative(france.page, 2)).toContainText(PASSAGE);
  // A commenter never decides.
  await expect(panel(poland.page).getByRole('button', { name: /^Accept/ })).toHaveCount(0);

  // France sees it live, co-sponsors it, and tables a competing wording from the editor.
  const first = amendment(france.page, 'Amendment 1 (Poland)');
  await expect(first).toBeVisible(LIVE);
  await expect(first.locator('ins')).toContainText('deter');
  await first.getByRole('button', { name: 'Co-sponsor' }).press('Enter');
  await expect(amendment(poland.page, 'Amendment 1 (Poland, France)')).toBeVisible(LIVE);
  await layer(france.page, 2).scrollIntoViewIfNeeded();
  await narrative(france.page, 2).click();
  await selectPhrase(narrative(france.page, 2), PASSAGE);
  await layer(france.page, 2).getByRole('button', { name: 'Propose change', exact: true }).click();
  const competing = france.page.getByRole('form', { name: 'New amendment' });
  await competing.getByLabel('By').fill('sized to reassure');
  await competing.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(amendment(chair.page, 'Amendment 2 (France)')).toBeVisible(LIVE);

  // The chair merges both into a compromise and accepts it.
  for (const title of ['Amendment 1 (Poland, France)', 'Amendment 2 (France)']) {
    await amendment(chair.page, title).getByLabel('Merge into a compromise').check();
  }
  const compromise = chair.page.getByRole('form', { name: "Chair's compromise" });
  await compromise.getByLabel('Compromise wording').fill('sized to reassure and to deter');
  await compromise.getByRole('button', { name: 'Table compromise' }).press('Enter');
  const title = "Amendment 3 (chair's compromise of 1 and 2)";
  await expect(amendment(poland.page, title)).toBeVisible(LIVE);
  await chair.page.getByRole('button', { name: `Accept ${title}` }).press('Enter');

  // Everyone sees the text change live, and the activity names the compromise.
  await expect(narrative(france.page, 2)).toContainText('sized to reassure and to deter', LIVE);
  await expect(layer(poland.page, 2)).toContainText('sized to reassure and to deter', LIVE);
  await expect(narrative(france.page, 2)).not.toContainText(PASSAGE);
  await expect(
    france.page.getByRole('region', { name: 'Activity' }).getByText(`accepted ${title}`),
  ).toBeVisible(LIVE);
  await panel(poland.page).getByLabel('Show', { exact: true }).selectOption('all');
  await expect(amendment(poland.page, 'Amendment 1 (Poland, France)')).toContainText(
    'Superseded by 3',
  );
  await poland.page.screenshot({ path: 'screenshots/amendments-panel.png', fullPage: false });

  // The compilation lists all three with their sponsors and statuses.
  const link = panel(poland.page).getByRole('link', { name: 'HTML' });
  const compilation = await poland.page.request.get((await link.getAttribute('href'))!);
  expect(compilation.status()).toBe(200);
  const html = await compilation.text();
  expect(html).toContain('Amendment 1 (Poland, France)');
  expect(html).toContain('Amendment 2 (France)');
  expect(html).toContain(title);
  expect(html.match(/Superseded by amendment 3 \(accepted\)/g)).toHaveLength(2);
});

test("Poland's inbox tells of the compromise its amendment went into; the link opens it", async () => {
  const inbox = await poland.context.newPage();
  await inbox.goto('/inbox');
  const news = inbox.getByRole('list', { name: 'Amendments' }).getByRole('listitem');
  const merged = news.filter({ hasText: "merged into the chair's compromise" });
  await expect(merged).toHaveCount(1);
  await expect(merged).toContainText('sized to deter a renewed invasion');
  await expect(merged).toContainText('Carla Chair');
  await inbox.screenshot({ path: 'screenshots/inbox-amendments.png' });
  // Superseded, it is outside the panel's "Tabled" filter: the link shows and focuses it anyway.
  await merged.getByRole('link', { name: 'Amendment 1 (Poland)' }).click();
  await expect(inbox).toHaveURL(/\?amendment=[0-9a-f-]{36}$/);
  const opened = panel(inbox).locator('[aria-current="true"]');
  await expect(opened).toBeFocused();
  await expect(opened.getByRole('heading')).toHaveText('Amendment 1 (Poland, France)');
  await expect(opened).toContainText('Superseded by 3');
  await inbox.close();
});

test('Poland proposes a new troop number; the chair accepts it into the commitment', async () => {
  await panel(poland.page).getByRole('button', { name: 'Propose a field change' }).click();
  const draft = poland.page.getByRole('form', { name: 'New field amendment' });
  await draft.getByLabel('Layer').selectOption({ label: '2. European reassurance force' });
  await draft
    .getByLabel('Field')
    .selectOption({ label: 'Commitment 3 (Canada, Troops): quantity' });
  await expect(draft).toContainText('Now: 1500');
  await draft.getByLabel('Proposed value').fill('2500');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  const item = amendment(chair.page, 'Amendment 4 (Poland)');
  await expect(item).toContainText('1500');
  await expect(item.locator('ins')).toHaveText('2500');
  // Marked on its row, in the chair's editor and in Poland's read mode; it opens the amendment.
  const name =
    'Amendment 4 (Poland) proposes a new quantity of this row: open in the amendments panel';
  const onRow = (page: Page) =>
    layer(page, 2).getByRole('table', { name: 'Commitments' }).getByRole('button', { name });
  await expect(onRow(poland.page)).toHaveText('Quantity 4', LIVE);
  await expect(onRow(chair.page)).toHaveText('Quantity 4');
  await onRow(poland.page).scrollIntoViewIfNeeded();
  await poland.page.screenshot({ path: 'screenshots/read-field-marker.png' });
  await onRow(chair.page).press('Enter');
  await expect(item).toBeFocused();
  await item.getByRole('button', { name: 'Accept Amendment 4 (Poland)' }).press('Enter');
  await expect(onRow(chair.page)).toHaveCount(0, LIVE);
  await expect(layer(france.page, 2).getByLabel('Commitment 3 quantity')).toHaveValue('2500', LIVE);
  await chair.page.screenshot({ path: 'screenshots/amendments-chair.png', fullPage: false });
});

test('a tabled amendment is marked in the text for everyone; its number opens it in the panel', async () => {
  const phrase = 'away from the line of contact';
  await layer(france.page, 2).scrollIntoViewIfNeeded();
  await narrative(france.page, 2).click();
  await selectPhrase(narrative(france.page, 2), phrase);
  await layer(france.page, 2).getByRole('button', { name: 'Propose change', exact: true }).click();
  const draft = france.page.getByRole('form', { name: 'New amendment' });
  await draft.getByLabel('By').fill('well behind the line of contact');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  const title = 'Amendment 5 (France)';
  const markerName = `${title}: open in the amendments panel`;

  // The chair (editor) and Poland (read mode) both see the numbered marker, live.
  const chairMarker = layer(chair.page, 2).getByRole('button', { name: markerName });
  await expect(chairMarker).toHaveText('5', LIVE);
  await expect(
    narrative(chair.page, 2).locator('.ed-amend-anchor', { hasText: phrase }),
  ).toBeVisible();
  const reader = poland.page.getByRole('article', { name: 'Read mode' });
  const readMarker = reader.getByRole('button', { name: markerName });
  await expect(readMarker).toHaveText('5', LIVE);
  // The common text did not change.
  await expect(narrative(chair.page, 2)).toContainText(phrase);

  // Enter on the marker opens the amendment in the panel, focused there.
  await chairMarker.focus();
  await chairMarker.press('Enter');
  const opened = amendment(chair.page, title);
  await expect(opened).toHaveAttribute('aria-current', 'true');
  await expect(opened).toBeFocused();
  await readMarker.click();
  await expect(amendment(poland.page, title)).toHaveAttribute('aria-current', 'true');
  await poland.page.screenshot({ path: 'screenshots/amendments-read-markers.png' });
  await layer(chair.page, 2).scrollIntoViewIfNeeded();
  await chair.page.screenshot({ path: 'screenshots/amendments-editor-markers.png' });
  // The markers are buttons people reach, in the editor and in read mode alike.
  for (const page of [chair.page, poland.page]) {
    const found = await axeWcagAA(page);
    expect(found.passed).toBeGreaterThan(10);
    expect(found.serious).toEqual([]);
  }

  // The delegation filter and the switch hide markers; the layer's header lists its own.
  await panel(poland.page).getByLabel('Delegation').selectOption({ label: 'Poland' });
  await expect(readMarker).toHaveCount(0);
  await panel(poland.page).getByLabel('Delegation').selectOption({ label: 'All delegations' });
  await expect(readMarker).toBeVisible();
  await panel(chair.page).getByLabel('Show amendments in the text').uncheck();
  await expect(chairMarker).toHaveCount(0);
  await panel(chair.page).getByLabel('Show amendments in the text').check();
  await expect(chairMarker).toBeVisible();

  await layer(chair.page, 1)
    .getByRole('button', { name: /amendments? tabled to Layer 1/ })
    .click();
  await expect(panel(chair.page)).toContainText('Showing 1.');
  await expect(amendment(chair.page, title)).toHaveCount(0);
  await layer(chair.page, 2)
    .getByRole('button', { name: /1 amendment tabled to Layer 2/ })
    .click();
  await expect(amendment(chair.page, title)).toBeVisible();
  await panel(chair.page).getByRole('button', { name: 'Show all layers' }).click();
});

test('Poland proposes a new commitment row; accepted, it is in the layer for everyone', async () => {
  await panel(poland.page).getByRole('button', { name: 'Propose a field change' }).click();
  const draft = poland.page.getByRole('form', { name: 'New field amendment' });
  await draft.getByLabel('Layer').selectOption({ label: '2. European reassurance force' });
  await draft.getByLabel('Field').selectOption({ label: 'New commitment row' });
  const row = draft.getByRole('group', { name: 'Proposed commitment' });
  await row.getByLabel('Party').selectOption({ label: 'Poland' });
  await row.getByLabel('Type').selectOption({ label: 'Troops' });
  await row.getByLabel('Quantity').fill('2000');
  await row.getByLabel('Unit').fill('personnel');
  await row.getByLabel('Period').fill('Two-year commitment');
  await draft.getByLabel('Justification').fill('Poland contributes a brigade.');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  const item = amendment(chair.page, 'Amendment 6 (Poland)');
  await expect(item).toContainText('New commitment row', LIVE);
  await expect(item.locator('ins')).toHaveText(
    'Poland: 2000 personnel (Troops), Two-year commitment',
  );
  // Nothing is added before the chair accepts.
  await expect(layer(france.page, 2).getByLabel('Commitment 6 quantity')).toHaveCount(0);
  await item.getByRole('button', { name: 'Accept Amendment 6 (Poland)' }).press('Enter');
  await expect(layer(france.page, 2).getByLabel('Commitment 6 quantity')).toHaveValue('2000', LIVE);
});

test('France proposes changes: the draft shows as tracked changes for France only, then is tabled', async () => {
  const phrase = 'along the most likely invasion routes';
  const text = narrative(france.page, 2);
  await layer(france.page, 2).scrollIntoViewIfNeeded();
  const toggle = layer(france.page, 2).getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await selectPhrase(text, phrase);
  await layer(france.page, 2).getByRole('button', { name: 'Propose change', exact: true }).click();
  const draft = layer(france.page, 2).getByRole('form', { name: 'New amendment' });
  const wording = draft.getByLabel('By');
  await wording.fill('along the likely invasion routes from the east');
  // Tracked changes in France's text: "most" struck through, "from the east" underlined.
  await expect(text.locator('.ed-track-del')).toHaveText(['most ']);
  await expect(text.locator('ins.ed-track-ins')).toContainText(['from the east']);
  // "from the east" in bold, by keyboard: selected with Shift+Left, then Ctrl+B.
  const bold = draft
    .getByRole('toolbar', { name: 'Formatting of the wording' })
    .getByRole('button', { name: 'Bold' });
  await expect(bold).toBeDisabled();
  await wording.press('End');
  for (let i = 0; i < 'from the east'.length; i++) await wording.press('Shift+ArrowLeft');
  await wording.press('Control+b');
  await expect(bold).toHaveAttribute('aria-pressed', 'true');
  await expect(text.locator('ins.ed-track-ins strong')).toHaveText('from the east');
  await expect(draft.locator('.am-diff ins strong')).toHaveText('from the east');
  await france.page.screenshot({ path: 'screenshots/amendments-propose-mode.png' });
  // Nobody else sees the draft, and the common text is unchanged.
  await expect(narrative(chair.page, 2).locator('.ed-track-ins')).toHaveCount(0);
  await expect(narrative(chair.page, 2)).toContainText(phrase);
  await draft.getByLabel('Justification').fill('Name the threat.');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(amendment(chair.page, 'Amendment 7 (France)')).toBeVisible(LIVE);
  await expect(text.locator('.ed-track-ins')).toHaveCount(0);
  await expect(
    layer(chair.page, 2).getByRole('button', {
      name: 'Amendment 7 (France): open in the amendments panel',
    }),
  ).toBeVisible(LIVE);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');

  // The chair sees the wording in its formatting, accepts it, and it is bold for everyone.
  const item = amendment(chair.page, 'Amendment 7 (France)');
  await expect(item.locator('ins strong')).toHaveText('from the east');
  await item.getByRole('button', { name: 'Accept Amendment 7 (France)' }).press('Enter');
  await expect(text.locator('strong')).toContainText(['from the east'], LIVE);
  await expect(layer(poland.page, 2).locator('.ro-narrative strong')).toContainText(
    ['from the east'],
    LIVE,
  );
  await expect(narrative(chair.page, 2)).toContainText(
    'along the likely invasion routes from the east',
  );
});

test('in Propose changes, typing over words in the text drafts an amendment; the common text stays', async () => {
  const text = narrative(france.page, 3);
  await layer(france.page, 3).scrollIntoViewIfNeeded();
  const toggle = layer(france.page, 3).getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await text.click();
  await selectPhrase(text, 'shared');
  await france.page.keyboard.type('joint');
  // The first key opened the draft on the word typed over; the rest went on in its field.
  const draft = layer(france.page, 3).getByRole('form', { name: 'New amendment' });
  await expect(draft.getByRole('blockquote')).toHaveText('shared');
  await expect(draft.getByLabel('By')).toHaveValue('joint');
  await expect(draft.getByLabel('By')).toBeFocused();
  await expect(text.locator('ins.ed-track-ins')).toHaveText(['joint']);
  await expect(text.locator('.ed-track-del')).toHaveText(['shared']);
  await france.page.screenshot({ path: 'screenshots/amendments-typing.png' });
  // Nothing reached the common text, here or for the chair; Enter and undo change nothing.
  await draft.getByRole('button', { name: 'Cancel' }).click();
  await expect(text).toContainText('shared radar coverage');
  const paragraphs = await narrative(chair.page, 3).locator('p').count();
  await text.click();
  await france.page.keyboard.press('Enter');
  await france.page.keyboard.press('Control+z');
  await expect(text.locator('p')).toHaveCount(paragraphs);
  await expect(narrative(chair.page, 3)).toContainText(
    'Poland and Romania, shared radar coverage and further',
  );
  await expect(narrative(chair.page, 3)).not.toContainText('joint');
  await expect(narrative(chair.page, 3).locator('p')).toHaveCount(paragraphs);
  await expect(text.locator('.ed-track-ins')).toHaveCount(0);
  // Backspace at the end of a word drafts its deletion.
  await selectPhrase(text, 'further');
  await france.page.keyboard.press('Backspace');
  await expect(draft.getByRole('blockquote')).toHaveText('further');
  await draft.getByRole('button', { name: 'Cancel' }).click();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(text).toHaveAttribute('contenteditable', 'true');
});

test('a saved version names the amendments accepted before it', async () => {
  await chair.page.getByRole('link', { name: 'Versions', exact: true }).click();
  const form = chair.page.getByRole('form', { name: 'Save a version' });
  await form.getByLabel('Name').fill('After the first amendments');
  await form.getByRole('button', { name: 'Save version' }).click();
  const row = chair.page
    .getByRole('table', { name: 'Versions' })
    .getByRole('row', { name: /After the first amendments/ });
  const accepted = row.getByRole('list', { name: 'Amendments accepted' });
  await expect(accepted.getByRole('listitem')).toHaveText([
    "Amendment 3 (chair's compromise of 1 and 2)",
    'Amendment 4 (Poland)',
    'Amendment 6 (Poland)',
    'Amendment 7 (France)',
  ]);
  await chair.page.screenshot({ path: 'screenshots/amendments-versions.png' });
});

test('France proposes removing a commitment row; the chair accepts; it disappears for everyone live', async () => {
  // Back from the versions page.
  await openEditor(chair.page, frameworkPath);
  const edited = layer(france.page, 2).getByRole('table', { name: 'Commitments' });
  const read = layer(poland.page, 2).getByRole('table', { name: 'Commitments' });
  await expect(read.getByRole('row', { name: /Canada/ })).toHaveCount(1);
  await layer(france.page, 2).scrollIntoViewIfNeeded();
  const toggle = layer(france.page, 2).getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  // By keyboard: the row's "Propose removal" opens the composer on that row, focus in it.
  // (Canada's 1500 became 2500 by an accepted field amendment above.)
  await edited.getByRole('button', { name: 'Propose removal of commitment 3' }).focus();
  await france.page.keyboard.press('Enter');
  const draft = france.page.getByRole('form', { name: 'New field amendment' });
  const choice = draft.getByLabel('Field');
  await expect(choice).toBeFocused();
  await expect(choice.locator('option:checked')).toHaveText('Remove commitment 3 (Canada, Troops)');
  await expect(draft.locator('del')).toHaveText('Canada: 2500 personnel (Troops)');
  await draft.getByLabel('Justification').fill('Canada contributes to the air layer instead.');
  await draft.scrollIntoViewIfNeeded();
  await france.page.screenshot({ path: 'screenshots/amendment-remove-row.png' });
  // The row actions and the composer pass axe's WCAG AA rules.
  const found = await axeWcagAA(france.page);
  expect(found.serious).toEqual([]);
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');

  const item = amendment(chair.page, 'Amendment 8 (France)');
  await expect(item).toContainText('Removes Commitment 3 (Canada, Troops)', LIVE);
  await expect(item.locator('del')).toHaveText('Canada: 2500 personnel (Troops)');
  // Nothing is removed before the chair accepts; Poland, in read mode, sees the row marked.
  await expect(read.getByRole('row', { name: /Canada/ })).toHaveCount(1);
  await expect(
    read.getByRole('row', { name: /Canada/ }).getByRole('button', {
      name: 'Amendment 8 (France) proposes removing this row: open in the amendments panel',
    }),
  ).toHaveText('Removal 8', LIVE);
  await poland.page.screenshot({ path: 'screenshots/read-row-marker.png' });
  // The row is marked for the chair, live; its marker opens the amendment in the panel.
  const marker = layer(chair.page, 2).getByRole('button', {
    name: 'Amendment 8 (France) proposes removing this row: open in the amendments panel',
  });
  await expect(marker).toHaveText('Removal 8', LIVE);
  await marker.press('Enter');
  await expect(item).toBeFocused();
  await chair.page.screenshot({ path: 'screenshots/amendment-remove-row-chair.png' });
  await item.getByRole('button', { name: 'Accept Amendment 8 (France)' }).press('Enter');
  await expect(item).toHaveCount(0, LIVE);
  await expect(marker).toHaveCount(0);
  // Gone for Poland (read mode) and France (the editor), live; the other rows stay.
  await expect(read.getByRole('row', { name: /Canada/ })).toHaveCount(0, LIVE);
  await expect(read.getByRole('row', { name: /Estonia/ })).toHaveCount(1);
  await expect(edited.getByRole('button', { name: /^Propose removal of/ })).toHaveCount(5, LIVE);
  await toggle.click();
  await expect(edited.getByRole('button', { name: /^Propose removal of/ })).toHaveCount(0);
});

test('France proposes a new trigger from the layer; accepted, it is in the layer for everyone', async () => {
  const toggle = layer(france.page, 2).getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await layer(france.page, 2).getByRole('button', { name: 'Propose a new trigger' }).click();
  const draft = france.page.getByRole('form', { name: 'New field amendment' });
  await expect(draft.getByLabel('Field')).toBeFocused();
  const trigger = draft.getByRole('group', { name: 'Proposed trigger' });
  await trigger.getByLabel('Condition').fill('Missile strike on a Ukrainian port');
  await trigger.getByLabel('Required response').fill('Air-defence reinforcement of the port');
  await trigger.getByLabel('Deadline (hours)').fill('12');
  const responsible = trigger.getByRole('group', { name: 'Responsible parties' });
  await responsible.getByRole('checkbox', { name: 'Poland' }).check();
  await responsible.getByRole('checkbox', { name: 'France' }).check();
  await responsible.scrollIntoViewIfNeeded();
  await france.page.screenshot({ path: 'screenshots/amendment-new-trigger.png' });
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  const item = amendment(chair.page, 'Amendment 9 (France)');
  // The parties in the framework's order, as the trigger lists them once added.
  await expect(item.locator('ins')).toHaveText(
    'If missile strike on a Ukrainian port, air-defence reinforcement of the port within 12 hours; responsible: France, Poland.',
    LIVE,
  );
  await expect(
    layer(chair.page, 2).getByRole('button', {
      name: 'Amendment 9 (France) proposes a new trigger: open in the amendments panel',
    }),
  ).toHaveText('New trigger 9');
  // Read mode marks the proposed trigger under the triggers too.
  await expect(
    layer(poland.page, 2).getByRole('button', {
      name: 'Amendment 9 (France) proposes a new trigger: open in the amendments panel',
    }),
  ).toHaveText('New trigger 9', LIVE);
  await item.getByRole('button', { name: 'Accept Amendment 9 (France)' }).press('Enter');
  await expect(layer(poland.page, 2)).toContainText(
    'If missile strike on a Ukrainian port, air-defence reinforcement of the port within 12 hours',
    LIVE,
  );
  await expect(layer(france.page, 2).getByLabel('Trigger 2 deadline (hours)')).toHaveValue('12');
  const added = layer(france.page, 2).getByRole('group', { name: 'Trigger 2 responsible parties' });
  await expect(added.getByRole('checkbox', { name: 'France' })).toBeChecked();
  await expect(added.getByRole('checkbox', { name: 'Poland' })).toBeChecked();
  await expect(added.getByRole('checkbox', { name: 'Ukraine' })).not.toBeChecked();
  await toggle.click();
});

test('what France typed offline into a layer put under silence meanwhile comes back as a drafted amendment, kept across reloads', async () => {
  await openEditor(chair.page, frameworkPath);
  await france.context.setOffline(true);
  await typeInNarrative(france.page, 5, ' Offline addition.');
  const quantity = layer(france.page, 5).getByLabel('Commitment 1 quantity');
  const quantityBefore = await quantity.inputValue();
  await quantity.fill('4321');
  await quantity.press('Tab');

  // Meanwhile the chair puts that layer under silence.
  await startSilence(chair.page, frameworkPath, 5, new Date(Date.now() + 3_600_000));

  // Back online, the server refuses the edit and undoes it; France is offered it back.
  await france.context.setOffline(false);
  const offered = france.page
    .getByRole('region', { name: 'Edits not applied' })
    .getByRole('article', { name: /^Your edit to .* was not applied$/ });
  await expect(offered).toContainText('under silence', LIVE);
  await expect(offered.locator('ins')).toContainText('Offline addition.');
  await expect(narrative(france.page, 5)).not.toContainText('Offline addition.', LIVE);
  await france.page.screenshot({ path: 'screenshots/refused-edit-offered.png' });
  // Kept across a reload, the offer and then the draft made of it.
  await openEditor(france.page, frameworkPath);
  await expect(offered.locator('ins')).toContainText('Offline addition.', LIVE);
  const changedQuantity = offered.getByRole('list', { name: 'Fields you changed' });
  await expect(changedQuantity).toContainText(`quantity: ${quantityBefore} → 4321`);
  await expect(quantity).toHaveValue(quantityBefore, LIVE);
  await offered.getByRole('button', { name: 'Propose as amendment', exact: true }).click();
  // The text is taken up; the quantity is still offered.
  await expect(offered.locator('ins')).toHaveCount(0);
  await expect(changedQuantity).toBeVisible();
  const draft = france.page.getByRole('form', { name: 'New amendment' });
  await expect(draft.getByLabel('By')).toHaveValue(/ Offline addition\.$/);
  await draft.getByLabel('Justification').fill('Typed while offline.');
  await openEditor(france.page, frameworkPath);
  await expect(draft.getByLabel('By')).toHaveValue(/ Offline addition\.$/, LIVE);
  await expect(draft.getByLabel('Justification')).toHaveValue('Typed while offline.');
  await expect(offered.locator('ins')).toHaveCount(0);
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(draft).toHaveCount(0, LIVE);

  // The quantity as a field amendment: the composer opens on it with the value typed offline.
  await changedQuantity.getByRole('button', { name: /^Propose as amendment: / }).click();
  await expect(offered).toHaveCount(0);
  const fieldDraft = france.page.getByRole('form', { name: 'New field amendment' });
  await expect(fieldDraft.getByLabel('Proposed value')).toHaveValue('4321');
  await fieldDraft.getByLabel('Justification').fill('The figure our capital confirmed.');
  // This draft is kept across a reload too, with its layer and field, until it is tabled.
  await openEditor(france.page, frameworkPath);
  await expect(fieldDraft.getByLabel('Proposed value')).toHaveValue('4321', LIVE);
  await expect(fieldDraft.getByLabel('Justification')).toHaveValue(
    'The figure our capital confirmed.',
  );
  await expect(fieldDraft.getByLabel('Field').locator('option:checked')).toHaveText(
    /^Commitment 1 \(.*\): quantity$/,
  );
  await fieldDraft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(amendment(chair.page, 'Amendment 11 (France)')).toContainText('4321', LIVE);
  await openEditor(france.page, frameworkPath);
  await expect(france.page.getByRole('button', { name: 'Propose a field change' })).toBeVisible(
    LIVE,
  );
  await expect(fieldDraft).toHaveCount(0);

  // Tabled, it is an amendment for everyone; the common text is unchanged, the silence broken.
  await expect(amendment(chair.page, 'Amendment 10 (France)')).toBeVisible(LIVE);
  await expect(amendment(chair.page, 'Amendment 10 (France)').locator('ins')).toContainText(
    'Offline addition.',
  );
  await expect(narrative(chair.page, 5)).not.toContainText('Offline addition.');
  await expect(chair.page.getByRole('group', { name: /^Review of Layer 5:/ })).not.toContainText(
    'Under silence until',
    LIVE,
  );
});

test('France proposes removing a trigger from the trigger itself; the chair accepts; it disappears for Poland live', async () => {
  // Layer 2 is in review, not under silence (that was layer 5); its Trigger 2 came from amendment 9.
  const sentence =
    'If missile strike on a Ukrainian port, air-defence reinforcement of the port within 12 hours; responsible: France, Poland.';
  const edited = layer(france.page, 2);
  await expect(layer(poland.page, 2)).toContainText('If missile strike on a Ukrainian port', LIVE);
  const toggle = edited.getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await edited.getByRole('button', { name: 'Propose removal of trigger 2' }).click();
  const draft = france.page.getByRole('form', { name: 'New field amendment' });
  const choice = draft.getByLabel('Field');
  await expect(choice).toBeFocused();
  await expect(choice.locator('option:checked')).toHaveText('Remove trigger 2');
  await expect(draft.locator('del')).toHaveText(sentence);
  await draft.getByLabel('Justification').fill('Port defence is covered by layer 3.');
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(draft).toHaveCount(0, LIVE);

  const item = amendment(chair.page, 'Amendment 12 (France)');
  await expect(item).toContainText('Removes Trigger 2', LIVE);
  await expect(item.locator('del')).toHaveText(sentence);
  // Marked beside the trigger for the chair; nothing removed before the chair accepts.
  const marker = layer(chair.page, 2).getByRole('button', {
    name: 'Amendment 12 (France) proposes removing this trigger: open in the amendments panel',
  });
  await expect(marker).toHaveText('Removal 12', LIVE);
  await marker.scrollIntoViewIfNeeded();
  await chair.page.screenshot({ path: 'screenshots/amendment-remove-trigger-chair.png' });
  await expect(layer(poland.page, 2)).toContainText('If missile strike on a Ukrainian port');
  await item.getByRole('button', { name: 'Accept Amendment 12 (France)' }).press('Enter');
  await expect(item).toHaveCount(0, LIVE);
  await expect(marker).toHaveCount(0);
  // Gone for Poland (read mode) and France (the editor), live; Trigger 1 stays.
  await expect(layer(poland.page, 2)).not.toContainText(
    'If missile strike on a Ukrainian port',
    LIVE,
  );
  await expect(edited.getByLabel('Trigger 2 deadline (hours)')).toHaveCount(0, LIVE);
  await expect(edited.getByRole('button', { name: 'Propose removal of trigger 1' })).toHaveCount(1);
  await toggle.click();
  await expect(edited.getByRole('button', { name: /^Propose removal of trigger/ })).toHaveCount(0);
});

test('in Propose changes, changing a field drafts an amendment; the common value stays', async () => {
  const edited = layer(france.page, 3);
  await edited.scrollIntoViewIfNeeded();
  const toggle = edited.getByRole('button', { name: 'Propose changes' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const deadline = edited.getByLabel('Trigger 1 deadline (hours)');
  const before = await deadline.inputValue();
  await deadline.fill('48');
  await deadline.press('Enter');
  const draft = france.page.getByRole('form', { name: 'New field amendment' });
  await expect(draft.getByLabel('Proposed value')).toHaveValue('48');
  await expect(draft.getByLabel('Field').locator('option:checked')).toHaveText(
    'Trigger 1: deadline (hours)',
  );
  // Nothing was written: the field shows the common value again, for France and the chair.
  await expect(deadline).toHaveValue(before);
  await expect(layer(chair.page, 3).getByLabel('Trigger 1 deadline (hours)')).toHaveValue(before);
  // What no amendment changes (a commitment's type, adding a row directly) is not offered.
  await expect(edited.getByLabel('Commitment 1 type')).toBeDisabled();
  await expect(edited.getByRole('button', { name: 'Add trigger' })).toHaveCount(0);
  await draft.getByRole('button', { name: 'Table amendment' }).press('Enter');
  await expect(amendment(chair.page, 'Amendment 13 (France)')).toContainText('48', LIVE);
  await expect(layer(chair.page, 3).getByLabel('Trigger 1 deadline (hours)')).toHaveValue(before);
  await toggle.click();
  await expect(edited.getByLabel('Commitment 1 type')).toBeEnabled();
});

import { expect, test } from '@playwright/test';
import {
  createFramework,
  joinWithInvite,
  layer,
  narrative,
  openEditor,
  session,
  type Session,
  typeInNarrative,
} from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

// Two people editing one framework: the owner and an invited editor, plus a viewer.
test.describe.configure({ mode: 'serial' });

let owner: Session;
let editor: Session;
let frameworkPath: string;
let groupPath: string;

/** "Within a second" of the other person typing. */
const LIVE = { timeout: 1_000 };

test.beforeAll(async ({ browser }) => {
  owner = await session(browser);
  editor = await session(browser);
  await signUp(owner.page, newPerson('Olga Owner'));
  groupPath = await createGroup(owner.page, 'Military sub-group');
  const invitePath = await createInvite(owner.page, groupPath, 'editor');
  await joinWithInvite(editor.page, invitePath, newPerson('Emil Editor'));
  frameworkPath = await createFramework(owner.page, groupPath, 'Guarantees, five layers');
  await openEditor(owner.page, frameworkPath);
  await openEditor(editor.page, frameworkPath);
});

test.afterAll(async () => {
  await owner?.context.close();
  await editor?.context.close();
});

test('the five-layer template opens with its layers, parties and presence', async () => {
  const { page } = owner;
  await expect(page.getByRole('textbox', { name: 'Framework title' })).toHaveValue(
    'Guarantees, five layers',
  );
  for (let n = 1; n <= 5; n++) await expect(layer(page, n)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Outline' }).getByRole('link')).toHaveCount(7);
  await expect(page.getByRole('img', { name: /In this framework: .*Emil Editor/ })).toBeVisible();
  await expect(
    layer(page, 2).getByRole('table', { name: 'Commitments' }).getByRole('row'),
  ).toHaveCount(6);
  await page.screenshot({ path: 'screenshots/editor-five-layer.png', fullPage: false });
  await layer(page, 2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/editor-layer-2.png', fullPage: false });
});

test('both type into the same narrative and into different fields of one layer', async () => {
  await typeInNarrative(owner.page, 1, ' Owner adds this sentence.', 'end');
  await typeInNarrative(editor.page, 1, 'Editor opens with this. ', 'start');
  await expect(narrative(editor.page, 1)).toContainText('Owner adds this sentence.', LIVE);
  await expect(narrative(owner.page, 1)).toContainText('Editor opens with this.', LIVE);

  // Different fields of layer 2: its title (owner) and a commitment's conditions (editor).
  const ownerTitle = layer(owner.page, 2).getByRole('textbox', { name: 'Title of layer 2' });
  await ownerTitle.click();
  await ownerTitle.press('End');
  await ownerTitle.pressSequentially(' (revised)');
  const conditions = layer(editor.page, 2).getByRole('textbox', {
    name: 'Commitment 1 conditions',
  });
  await conditions.click();
  await conditions.pressSequentially('Only west of the Dnipro');
  await expect(
    layer(editor.page, 2).getByRole('textbox', { name: 'Title of layer 2' }),
  ).toHaveValue('European reassurance force (revised)', LIVE);
  await expect(
    layer(owner.page, 2).getByRole('textbox', { name: 'Commitment 1 conditions' }),
  ).toHaveValue('Only west of the Dnipro', LIVE);

  // Presence: the owner sees the editor in layer 2 (outline and layer header).
  await expect(
    layer(owner.page, 2).getByRole('img', { name: /Here now: Emil Editor/ }),
  ).toBeVisible();
});

test('a reorder concurrent with typing keeps the typing', async () => {
  const typing = typeInNarrative(editor.page, 3, ' Typed during the move.', 'end', 40);
  await owner.page.getByRole('button', { name: /^Move Layer 3: .* up$/ }).click();
  await typing;
  // Layer 3 (air) is now layer 2 for both, with the text typed while it moved.
  for (const { page } of [owner, editor]) {
    await expect(layer(page, 2)).toHaveAccessibleName(/^Layer 2: Air policing/);
    await expect(narrative(page, 2)).toContainText('Typed during the move.');
    await expect(layer(page, 3)).toHaveAccessibleName(/^Layer 3: European reassurance force/);
  }
});

test('undo undoes only my changes; a removed layer comes back', async () => {
  const { page } = owner;
  await page.getByRole('button', { name: /^Remove Layer 5: US enablers/ }).click();
  await expect(layer(editor.page, 5)).not.toHaveAccessibleName(/US enablers/);
  await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  await expect(layer(editor.page, 5)).toHaveAccessibleName(/^Layer 5: US enablers/);
  // Ctrl+Z outside the narrative undoes the owner's move, then the owner's title edit, and
  // leaves the editor's conditions and narrative text alone.
  await page.getByRole('button', { name: 'Redo' }).focus();
  await page.keyboard.press('Control+z');
  await expect(layer(editor.page, 2)).toHaveAccessibleName(/^Layer 2: European reassurance/);
  await page.keyboard.press('Control+z');
  await expect(
    layer(editor.page, 2).getByRole('textbox', { name: 'Title of layer 2' }),
  ).toHaveValue('European reassurance force');
  await expect(
    layer(editor.page, 2).getByRole('textbox', { name: 'Commitment 1 conditions' }),
  ).toHaveValue('Only west of the Dnipro');
  await expect(narrative(editor.page, 3)).toContainText('Typed during the move.');
  await expect(narrative(editor.page, 1)).toContainText('Owner adds this sentence.');
});

test('a reload shows everything', async () => {
  const { page } = owner;
  await page.reload();
  await expect(narrative(page, 1)).toContainText('Editor opens with this.');
  await expect(narrative(page, 1)).toContainText('Owner adds this sentence.');
  await expect(narrative(page, 3)).toContainText('Typed during the move.');
  await expect(
    layer(page, 2).getByRole('textbox', { name: 'Commitment 1 conditions' }),
  ).toHaveValue('Only west of the Dnipro');
});

test('the gaps panel and the matrix follow edits live', async () => {
  const { page } = owner;
  const gaps = page.getByRole('list', { name: /Gaps/ });
  // A new trigger on the editor's side appears as gaps on the owner's side.
  const deadlineGaps = gaps.getByRole('button', { name: /has no deadline/ });
  const before = await deadlineGaps.count();
  await layer(editor.page, 4).getByRole('button', { name: 'Add trigger' }).click();
  await expect(deadlineGaps).toHaveCount(before + 1, LIVE);
  await deadlineGaps.last().click();
  const deadline = layer(page, 4).getByRole('spinbutton', { name: /^Trigger \d+ deadline/ });
  await expect(deadline.last()).toBeFocused();
  await page.keyboard.type('72');
  await expect(deadlineGaps).toHaveCount(before);

  await page.getByRole('button', { name: 'Commitment matrix' }).click();
  const matrix = page.getByRole('table', { name: 'Commitment matrix' });
  await expect(matrix.getByRole('row', { name: /United Kingdom/ })).toContainText('Troops: 8,000');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'screenshots/editor-matrix.png' });
  await page.getByRole('button', { name: 'Layers', exact: true }).click();
});

test('a context taken offline keeps editing and merges when back', async () => {
  await editor.context.setOffline(true);
  await expect(editor.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  const offlineTitle = layer(editor.page, 1).getByRole('textbox', { name: 'Title of layer 1' });
  await offlineTitle.click();
  await offlineTitle.press('End');
  await offlineTitle.pressSequentially(' [offline edit]');
  await typeInNarrative(owner.page, 1, ' Written while Emil was away.');
  // Nothing crosses while offline.
  await expect(narrative(editor.page, 1)).not.toContainText('Written while Emil was away.');
  await editor.context.setOffline(false);
  await expect(narrative(editor.page, 1)).toContainText('Written while Emil was away.', {
    timeout: 15_000,
  });
  await expect(layer(owner.page, 1).getByRole('textbox', { name: 'Title of layer 1' })).toHaveValue(
    /\[offline edit\]$/,
  );
  await expect(editor.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
});

test('a viewer sees the same page with nothing editable', async ({ browser }) => {
  const viewer = await session(browser);
  const invitePath = await createInvite(owner.page, groupPath, 'viewer');
  await joinWithInvite(viewer.page, invitePath, newPerson('Vera Viewer'));
  await openEditor(viewer.page, frameworkPath);
  const { page } = viewer;
  await expect(page.getByText(/Read only/)).toBeVisible();
  await expect(narrative(page, 1)).toHaveAttribute('contenteditable', 'false');
  await expect(page.getByRole('toolbar')).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Title of layer 1' })).toBeDisabled();
  await expect(page.getByRole('textbox', { name: 'Framework title' })).toBeDisabled();
  await expect(layer(page, 1).getByRole('combobox', { name: 'Kind' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add layer' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Remove / })).toHaveCount(0);
  const before = (await narrative(page, 1).textContent()) ?? '';
  await narrative(page, 1).click();
  await page.keyboard.type('viewer was here');
  await expect(narrative(page, 1)).toHaveText(before);
  await page.screenshot({ path: 'screenshots/editor-viewer.png' });
  // And the editor's typing still reaches the viewer live.
  await typeInNarrative(editor.page, 1, ' Seen by the viewer.');
  await expect(narrative(page, 1)).toContainText('Seen by the viewer.', LIVE);
  await viewer.context.close();
});

test('the layers open before the text editor’s engine; a click meanwhile lands in it, and a failed load says so', async () => {
  const page = await owner.context.newPage();
  // The engine is a chunk of its own: hold it back (and later fail it) to see the page without it.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let fail = false;
  await page.route('**/_next/static/chunks/*.js', async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (!body.includes('ProseMirror-hideselection')) return route.fulfill({ response });
    if (fail) return route.abort();
    await released;
    return route.fulfill({ response });
  });
  await openEditor(page, frameworkPath);
  // Fields are editable and the narrative readable, without the engine.
  await expect(page.getByRole('textbox', { name: 'Title of layer 1' })).toBeEnabled();
  await expect(layer(page, 1).getByText('Owner adds this sentence.')).toBeVisible();
  await expect(narrative(page, 1)).toHaveCount(0);
  await layer(page, 1).getByText('Owner adds this sentence.').click();
  release();
  await expect(narrative(page, 1)).toBeFocused();

  fail = true;
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Title of layer 1' })).toBeEnabled();
  await expect(layer(page, 1).getByRole('alert')).toHaveText(
    'The text editor did not load. Check the connection, then reload the page.',
  );
  await expect(layer(page, 1).getByText('Owner adds this sentence.')).toBeVisible();
  await page.screenshot({ path: 'screenshots/editor-engine-failed.png' });
  await page.close();
});

test('a keyboard reorder (Alt+Arrow) concurrent with typing keeps the typing', async () => {
  // Back to the editor (the viewer's invite took the owner to the members page); the layers
  // are in the template's order again (the undo above took the earlier move back).
  await openEditor(owner.page, frameworkPath);
  await expect(layer(owner.page, 4)).toHaveAccessibleName(/^Layer 4: Black Sea shipping/);
  const typed = ' Typed during a keyboard move, and still typing after it.';
  const typing = typeInNarrative(editor.page, 4, typed, 'end', 40);
  // The owner moves the layer while the editor is still typing into it (the layer shows the
  // text live even before its own narrative editor has mounted on the owner's screen).
  await expect(layer(owner.page, 4)).toContainText(' Typed during', { timeout: 10_000 });
  const title = layer(owner.page, 4).getByRole('textbox', { name: 'Title of layer 4' });
  await title.focus();
  await owner.page.keyboard.press('Alt+ArrowUp');
  // The moved field keeps focus, so the next key moves the same layer again.
  await expect(
    layer(owner.page, 3).getByRole('textbox', { name: 'Title of layer 3' }),
  ).toBeFocused();
  await owner.page.keyboard.press('Alt+ArrowUp');
  await typing;
  for (const { page } of [owner, editor]) {
    await expect(layer(page, 2)).toHaveAccessibleName(/^Layer 2: Black Sea shipping/);
    await expect(narrative(page, 2)).toContainText(typed);
    await expect(layer(page, 3)).toHaveAccessibleName(/^Layer 3: European reassurance force/);
    await expect(layer(page, 4)).toHaveAccessibleName(/^Layer 4: Air policing/);
  }
  // The title field kept its text: Alt+Arrow moves the layer and types nothing.
  await expect(layer(owner.page, 2).getByRole('textbox', { name: 'Title of layer 2' })).toHaveValue(
    'Black Sea shipping and de-mining',
  );
});

test('a drag reorder concurrent with typing keeps the typing', async () => {
  await expect(layer(owner.page, 5)).toHaveAccessibleName(/^Layer 5: US enablers/);
  // Collapsing layer 4 (only on the owner's screen) brings layer 5's handle next to it.
  await owner.page.getByRole('button', { name: /^Collapse Layer 4: Air policing/ }).click();
  const typed = ' Typed during a drag, and still typing after the drop.';
  const typing = typeInNarrative(editor.page, 5, typed, 'end', 40);
  await expect(layer(owner.page, 5)).toContainText(' Typed during', { timeout: 10_000 });
  // Dropped on the upper half of layer 4: layer 5 goes before it.
  await layer(owner.page, 5)
    .getByTitle('Drag to reorder')
    .dragTo(layer(owner.page, 4), { targetPosition: { x: 80, y: 8 } });
  await typing;
  for (const { page } of [owner, editor]) {
    await expect(layer(page, 4)).toHaveAccessibleName(/^Layer 4: US enablers/);
    await expect(layer(page, 5)).toHaveAccessibleName(/^Layer 5: Air policing/);
  }
  await expect(narrative(editor.page, 4)).toContainText(typed);
  await expect(narrative(owner.page, 4)).toContainText(typed);
  await owner.page.getByRole('button', { name: /^Expand Layer 5: Air policing/ }).click();
  await expect(narrative(owner.page, 5)).toBeVisible();
});

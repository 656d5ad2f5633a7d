import { expect, test, type Page } from '@playwright/test';
import {
  createFramework,
  joinWithInvite,
  layer,
  narrative,
  openEditor,
  session,
  type Session,
  typeInNarrative,
  selectPhrase,
} from './support/editor';
import { createGroup, createInvite, newPerson, signUp } from './support/pages';

// Review with three people at once: an owner, an editor and a commenter on one framework.
test.describe.configure({ mode: 'serial' });

let owner: Session;
let editor: Session;
let commenter: Session;
let frameworkPath: string;

/** Live: the other person sees it within a second or two of the action (CI is slow). */
const LIVE = { timeout: 2_000 };

/** Selects the first occurrence of `phrase` inside `box` (a narrative) as a DOM selection. */
/**
 * Resolves with the wall-clock time at which `text` first appears in the page (a mutation
 * observer in the page, so the figure is not rounded up to the test runner's polling interval).
 */
async function whenTextAppears(page: Page, text: string): Promise<() => Promise<number>> {
  await page.evaluate((wanted) => {
    const w = window as Window & { __appearedAt?: Promise<number> };
    w.__appearedAt = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.body.innerText.includes(wanted)) return;
        observer.disconnect();
        resolve(Date.now());
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }, text);
  return () =>
    page.evaluate(() => (window as Window & { __appearedAt?: Promise<number> }).__appearedAt!);
}

const comments = (page: Page) => page.getByRole('region', { name: 'Comments' });

test.beforeAll(async ({ browser }) => {
  owner = await session(browser);
  editor = await session(browser);
  commenter = await session(browser);
  await signUp(owner.page, newPerson('Olga Owner'));
  const groupPath = await createGroup(owner.page, 'Review sub-group');
  const editorInvite = await createInvite(owner.page, groupPath, 'editor');
  const commenterInvite = await createInvite(owner.page, groupPath, 'commenter');
  await joinWithInvite(editor.page, editorInvite, newPerson('Emil Editor'));
  await joinWithInvite(commenter.page, commenterInvite, newPerson('Cora Commenter'));
  frameworkPath = await createFramework(owner.page, groupPath, 'Guarantees under review');
  for (const s of [owner, editor, commenter]) await openEditor(s.page, frameworkPath);
});

test.afterAll(async () => {
  for (const s of [owner, editor, commenter]) await s?.context.close();
});

test('a commenter comments on a passage; the editor sees it live, the highlight follows edits, reply and resolve', async () => {
  await typeInNarrative(editor.page, 1, ' Monitors report violations within 24 hours.');
  const box = narrative(commenter.page, 1);
  await expect(box).toContainText('within 24 hours', LIVE);

  await selectPhrase(box, 'within 24 hours');
  await layer(commenter.page, 1).getByRole('button', { name: 'Comment', exact: true }).click();
  const composer = commenter.page.getByRole('form', { name: 'New comment' });
  await expect(composer.getByText('within 24 hours')).toBeVisible();
  await composer.getByLabel('Comment').fill('Is 24 hours realistic? <script>alert(1)</script>');
  const commentShown = await whenTextAppears(editor.page, 'Is 24 hours realistic?');
  const posted = Date.now();
  await composer.getByRole('button', { name: 'Post comment' }).click();

  // The editor sees the thread and the highlighted passage without reloading.
  const thread = comments(editor.page).getByRole('article', { name: /Thread by Cora Commenter/ });
  await expect(thread).toBeVisible(LIVE);
  console.info(`comment visible to the editor ${(await commentShown()) - posted} ms after posting`);
  // Script in a comment is shown as text.
  await expect(thread.getByText('Is 24 hours realistic? <script>alert(1)</script>')).toBeVisible();
  // The quote is what the server read at the browser's anchor (y-prosemirror positions).
  await expect(thread.locator('.rv-quote')).toHaveText('within 24 hours');
  const highlight = narrative(editor.page, 1).locator('.ed-comment-anchor');
  await expect(highlight).toHaveText('within 24 hours', LIVE);

  // The passage is edited concurrently: text before it, inside the paragraph. The highlight follows.
  await typeInNarrative(editor.page, 1, 'Indeed: ', 'start');
  await expect(narrative(commenter.page, 1)).toContainText('Indeed: ', LIVE);
  await expect(narrative(commenter.page, 1).locator('.ed-comment-anchor')).toHaveText(
    'within 24 hours',
  );
  await expect(highlight).toHaveText('within 24 hours');
  await commenter.page.screenshot({ path: 'screenshots/review-comment-commenter.png' });

  await thread.getByLabel('Reply').fill('Yes: the mission has drones on station.');
  const replyShown = await whenTextAppears(commenter.page, 'the mission has drones on station');
  const replied = Date.now();
  await thread.getByRole('button', { name: 'Reply' }).click();
  const commenterThread = comments(commenter.page).getByRole('article', {
    name: /Thread by Cora Commenter/,
  });
  await expect(commenterThread.getByText('Yes: the mission has drones on station.')).toBeVisible(
    LIVE,
  );
  console.info(`reply visible to the commenter ${(await replyShown()) - replied} ms after sending`);
  await editor.page.screenshot({ path: 'screenshots/review-comment-editor.png' });
  await thread.getByRole('button', { name: 'Resolve' }).click();
  // Resolved threads leave the "Open" list for everyone and are found under "Resolved".
  await expect(commenterThread).toBeHidden(LIVE);
  await comments(commenter.page).getByLabel('Show comments').selectOption('resolved');
  await expect(commenterThread.getByText('Resolved', { exact: true })).toBeVisible();
  await expect(narrative(commenter.page, 1).locator('.ed-comment-anchor')).toHaveCount(0);
});

test('an owner marks a layer agreed and the editor can no longer change it', async () => {
  const bar = owner.page.getByRole('group', { name: /^Review of Layer 1:/ });
  await bar.getByLabel('Change status').selectOption('agreed');
  await bar.getByRole('button', { name: 'Apply status' }).click();
  await expect(bar.getByLabel('Status: Agreed')).toBeVisible();

  const editorBar = editor.page.getByRole('group', { name: /^Review of Layer 1:/ });
  await expect(editorBar.getByLabel('Status: Agreed')).toBeVisible(LIVE);
  await expect(editorBar.getByText('Text frozen until the chair reopens it')).toBeVisible();
  await expect(narrative(editor.page, 1)).toHaveAttribute('contenteditable', 'false');
  await expect(editor.page.getByRole('textbox', { name: 'Title of layer 1' })).not.toBeEditable();
  // The editor has no way to agree or reopen.
  await expect(editorBar.getByLabel('Change status')).toHaveCount(0);
  await layer(editor.page, 1).scrollIntoViewIfNeeded();
  await editor.page.screenshot({ path: 'screenshots/review-agreed-locked.png' });

  // The activity records who agreed it.
  const activity = owner.page.getByRole('region', { name: 'Activity' });
  await expect(
    activity.getByText(/Olga Owner changed status from Proposed to Agreed/),
  ).toBeVisible();
});

test('a bracket with two alternatives is resolved by accepting one', async () => {
  const text = ' Air policing from bases in Poland.';
  await typeInNarrative(editor.page, 2, text);
  const box = narrative(editor.page, 2);
  await box.click();
  await selectPhrase(box, 'bases in Poland');
  await layer(editor.page, 2).getByRole('button', { name: '[ Bracket ]' }).click();
  await layer(editor.page, 2)
    .getByLabel('Alternative wordings (one per line)')
    .fill('bases in Romania\nbases in Poland and Romania');
  await layer(editor.page, 2).getByRole('button', { name: 'Bracket selection' }).click();

  // Everyone sees the open bracket and its alternatives side by side.
  const list = layer(owner.page, 2).getByRole('list', { name: 'Open brackets' });
  await expect(list.getByText('[bases in Romania]')).toBeVisible(LIVE);
  await expect(list.getByText('[bases in Poland and Romania]')).toBeVisible();
  const ownerBar = owner.page.getByRole('group', { name: /^Review of Layer 2:/ });
  await expect(ownerBar.getByText('1 open bracket', { exact: true })).toBeVisible();
  await narrative(owner.page, 2).scrollIntoViewIfNeeded();
  await owner.page.screenshot({ path: 'screenshots/review-brackets.png' });

  // Open brackets block agreement (the server says why).
  await ownerBar.getByLabel('Change status').selectOption('agreed');
  await ownerBar.getByRole('button', { name: 'Apply status' }).click();
  await expect(ownerBar.getByRole('alert')).toContainText('open bracket');

  await list
    .getByRole('button', { name: 'Accept alternative: bases in Poland and Romania' })
    .click();
  await expect(narrative(editor.page, 2)).toContainText(
    'Air policing from bases in Poland and Romania.',
    LIVE,
  );
  await expect(layer(editor.page, 2).getByRole('list', { name: 'Open brackets' })).toHaveCount(0);
  await expect(ownerBar.getByText('0 open brackets', { exact: true })).toBeVisible();
});

test('the routes keep authorship and groups apart, bound bodies, and fill the inbox', async () => {
  const [, , groupId, , frameworkId] = frameworkPath.split('/');
  const base = `/api/groups/${groupId}/frameworks/${frameworkId}`;
  const listed = await editor.page.request.get(`${base}/comments`);
  expect(listed.status()).toBe(200);
  const { threads } = (await listed.json()) as {
    threads: Array<{ id: string; comments: Array<{ id: string; authorName: string }> }>;
  };
  const thread = threads[0]!;
  const mine = thread.comments.find((c) => c.authorName === 'Cora Commenter')!;
  const url = `${base}/comments/${thread.id}/messages/${mine.id}`;
  // Someone else's comment: neither editable nor deletable, even by an owner.
  for (const page of [editor.page, owner.page]) {
    expect((await page.request.patch(url, { data: { body: 'Rewritten' } })).status()).toBe(403);
    expect((await page.request.delete(url)).status()).toBe(403);
  }
  // Oversized body: refused.
  const big = await commenter.page.request.post(`${base}/comments/${thread.id}`, {
    data: { body: 'x'.repeat(5_001) },
  });
  expect(big.status()).toBe(400);
  // A framework of another group, addressed through my group: not found.
  const otherGroup = await createGroup(editor.page, 'Another sub-group');
  const otherFramework = await createFramework(editor.page, otherGroup, 'Theirs');
  const foreign = await owner.page.request.post(
    `/api/groups/${groupId}/frameworks/${otherFramework.split('/').pop()}/comments`,
    { data: { layerId: 'x', body: 'Hello' } },
  );
  expect(foreign.status()).toBe(404);

  // The commenter's inbox has the editor's reply.
  await commenter.page.goto('/inbox');
  const inbox = commenter.page.getByRole('list', { name: 'Mentions and replies' });
  await expect(inbox.getByText('Yes: the mission has drones on station.')).toBeVisible();
  await expect(inbox.getByText(/Replied to you/)).toBeVisible();
  await commenter.page.screenshot({ path: 'screenshots/review-inbox.png' });
});

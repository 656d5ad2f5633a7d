import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { e2eMailDir } from './servers';

/** The mails the test SMTP server received for `to`, oldest first, as subject and text. */
export async function mailsTo(to: string): Promise<Array<{ subject: string; text: string }>> {
  let files: string[];
  try {
    files = readdirSync(e2eMailDir()).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  files.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const mails = [];
  for (const file of files) {
    const parsed = await simpleParser(readFileSync(path.join(e2eMailDir(), file)));
    const addresses = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [])
      .flatMap((group) => group.value)
      .map((address) => address.address?.toLowerCase());
    if (addresses.includes(to.toLowerCase())) {
      mails.push({ subject: parsed.subject ?? '', text: parsed.text ?? '' });
    }
  }
  return mails;
}

/** Waits for the `count`-th mail to `to` (1 by default) and returns it. */
export async function waitForMail(
  to: string,
  count = 1,
): Promise<{ subject: string; text: string }> {
  await expect
    .poll(async () => (await mailsTo(to)).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(count);
  return (await mailsTo(to))[count - 1]!;
}

import path from 'node:path';
import type { Page } from '@playwright/test';
import type { AxeResults, RunOptions } from 'axe-core';

const AXE = path.resolve('node_modules/axe-core/axe.min.js');

/** Runs axe-core's WCAG 2.1 AA rules on the page: how many passed, and the serious findings. */
export async function axeWcagAA(page: Page): Promise<{ passed: number; serious: string[] }> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> };
      }
    ).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      passed: results.passes.length,
      serious: results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    };
  });
}

import { expect, type Page } from '@playwright/test';
import { TEST_OIDC_CLIENT } from './servers';

/**
 * From the product's sign-in page, goes through the test identity provider as `login`: its
 * development login page (node-oidc-provider's own, with unlabelled inputs) and consent page.
 */
export async function signInThroughTestProvider(page: Page, login: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in with ${TEST_OIDC_CLIENT.name}` }).press('Enter');
  await expect(page).toHaveURL(/localhost:\d+\/interaction\//);
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).press('Enter');
  await page.getByRole('button', { name: 'Continue' }).press('Enter');
}

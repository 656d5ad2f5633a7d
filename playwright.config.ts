import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { e2eMailEnv, e2eOidcEnv, e2eProductPort } from './e2e/support/servers';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`,
  );
}

const port = e2eProductPort();
const baseURL = `http://localhost:${port}`;
// A fresh embedded database per run, so tests never see a previous run's data.
const dataDir = path.resolve('.data', `e2e-${process.pid}-${Date.now()}`);

export default defineConfig({
  testDir: 'e2e',
  // A real OpenID provider for the single sign-on spec (E2E_OIDC_PORT) and a real SMTP server
  // for the password reset spec (E2E_SMTP_PORT).
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'npm start',
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      // Silence deadlines are looked for every half second, so a test can wait one out.
      REVIEW_SILENCE_CHECK_MS: '500',
      // Notification mail leaves the outbox within half a second.
      NOTIFY_SEND_INTERVAL_MS: '500',
      // Every test user signs up from this one machine; the throttle has its own tests.
      SIGN_UP_MAX_PER_ADDRESS: '100000',
      // The identity provider started by e2e/global-setup.ts.
      ...e2eOidcEnv(),
      // The SMTP server started by e2e/global-setup.ts; reset links point at the tested origin.
      ...e2eMailEnv(baseURL),
    },
  },
});

import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };
// scripts/test.sh leaves out the tests whose prerequisites are missing (comma-separated globs),
// and fails the run at the end naming them.
const missingPrerequisites = (process.env.TEST_EXCLUDE ?? '').split(',').filter(Boolean);
const exclude = ['node_modules/**', '.next*/**', 'e2e/**', '.data/**', ...missingPrerequisites];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

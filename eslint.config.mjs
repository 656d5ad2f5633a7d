import coreWebVitals from 'eslint-config-next/core-web-vitals';
import typescript from 'eslint-config-next/typescript';

const config = [
  ...coreWebVitals,
  ...typescript,
  {
    ignores: [
      'node_modules/**',
      '.next*/**',
      'dist/**',
      '.data/**',
      'db/migrations/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
];

// The seams of the house (README, "Architecture"): who may import whom. Checked on every file,
// tests included, with paths resolved (relative and '@/'), so a rule cannot be walked around.
// The files are Next's own pattern: its config object is where the import plugin is defined.
config.push({
  files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
  rules: {
    'import/no-restricted-paths': [
      'error',
      {
        zones: [
          {
            target: './server',
            from: './lib/services',
            message: 'The sync server imports no use case: the app reaches it through the door.',
          },
          {
            target: './components',
            from: ['./lib/services', './app'],
            message: 'The browser imports no use case and no route: shared types live in lib/.',
          },
          {
            target: './app',
            from: './server',
            message:
              'Routes never import the server: the logger is in lib/, live documents behind the door.',
          },
          {
            target: ['./lib/!(services)/**/*', './lib/*.ts'],
            from: './db',
            message: 'Only lib/services touches the database.',
          },
          {
            target: ['./lib', './db'],
            from: ['./app', './components'],
            message: 'lib/ and db/ never import the UI or the routes.',
          },
        ],
      },
    ],
  },
});

export default config;

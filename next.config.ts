import type { NextConfig } from 'next';
import { securityHeaders } from './lib/security-headers';

const nextConfig: NextConfig = {
  // PGlite owns its data folder and must be one instance per process; argon2 is a native addon;
  // pdfkit reads its standard-font .afm files from its own package folder at run time, and
  // fontkit parses the PDF's embedded fonts (lib/export/fonts.ts, which reads the Noto Sans files
  // from node_modules at run time) for it: one copy, shared with pdfkit. Yjs (with
  // y-protocols and lib0) is loaded from node_modules by route code too, so the process holds one
  // copy, the custom server's: two copies break Yjs's constructor checks ("Yjs was already
  // imported", which scripts/test.sh fails on). nodemailer loads its transports at run time.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@node-rs/argon2',
    'postgres',
    'pino',
    'pdfkit',
    'fontkit',
    'yjs',
    'y-protocols',
    'lib0',
    'nodemailer',
  ],
  // A separate build folder lets two builds (say, a benchmark and the tests) run side by side.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // NEXT_SOURCE_MAPS=1: browser source maps, to see which modules the route JavaScript holds.
  productionBrowserSourceMaps: process.env.NEXT_SOURCE_MAPS === '1',
  reactStrictMode: true,
  experimental: { preloadEntriesOnStart: false },
  typedRoutes: false,
  // Pages and API alike (issue 19, finding 6).
  headers: async () => [
    { source: '/:path*', headers: securityHeaders(process.env.NODE_ENV !== 'production') },
  ],
};

export default nextConfig;

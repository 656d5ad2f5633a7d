// `npm start`: the compiled server in production mode, on any shell (no NODE_ENV=... prefix).
// Set before the server's modules load, as Next.js and React read it when they load.
process.env.NODE_ENV = 'production';
await import('../dist/server/index.js');

// Preloaded into every benchmarked server (started with --expose-gc): SIGUSR2 runs a full garbage
// collection, so memory per document is read as what the server holds, not as whatever garbage
// its collector has not reached yet. Only the benchmark starts servers this way.
if (typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => globalThis.gc());
}

// Preloaded into every benchmarked server (started with --expose-gc): SIGUSR2 runs a full garbage
// collection, so memory per document is read as what the server holds, not as whatever garbage
// its collector has not reached yet. Only the benchmark starts servers this way.
// BENCH_HEAP_DIR: a heap snapshot after each of those collections too (to see what is held).
import { writeHeapSnapshot } from 'node:v8';
import path from 'node:path';

let snapshots = 0;
if (typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    const dir = process.env.BENCH_HEAP_DIR;
    if (dir) writeHeapSnapshot(path.join(dir, `${process.pid}-${++snapshots}.heapsnapshot`));
  });
}

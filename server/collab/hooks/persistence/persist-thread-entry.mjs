// Worker threads do not inherit the main thread's tsx loader: register it, then serve.
import { register } from 'tsx/esm/api';

register();
await import('./persist-thread-worker.ts');

// Worker threads do not inherit the main thread's tsx loader: register it, then serve.
import { register } from 'tsx/esm/api';

register();
const { serveRequests } = await import('./persist-thread.ts');
serveRequests();

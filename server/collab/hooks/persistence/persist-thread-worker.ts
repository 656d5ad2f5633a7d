// The persistence thread's entry in the compiled server (dist/server/persist-thread-worker.js);
// from source, persist-thread-entry.mjs registers tsx first and then does the same.
import { serveRequests } from './persist-thread';

serveRequests();

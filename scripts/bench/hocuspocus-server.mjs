import { Server } from '@hocuspocus/server';

/** Hocuspocus 4 with no extensions, as the benchmark's second peer. Prints "listening <port>". */
const port = Number(process.env.PORT ?? 1234);
const server = new Server({ port, address: '127.0.0.1', quiet: true });
await server.listen();
process.stdout.write(`listening ${port}\n`);

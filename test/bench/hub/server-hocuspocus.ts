/** Hocuspocus 4 in memory: its own `Server` with the default configuration and no extensions (no storage). */
import { Server } from '@hocuspocus/server';
import { failStartup, peerDocNames, readSetup, serveProbe } from './server-probe.ts';

try {
  const setup = readSetup();
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
  const port = server.address.port;
  serveProbe(
    { type: 'ready', protocol: 'hocuspocus', wsUrl: `ws://127.0.0.1:${port}`, docs: peerDocNames(setup.docs), headers: [{}] },
    () => server.destroy(),
  );
} catch (err) {
  failStartup(err);
}

/** @y/websocket-server 0.1.1, in memory: its `setupWSConnection` on a `ws` server, as its own bin does it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { failStartup, peerDocNames, readSetup, serveProbe } from './server-probe.ts';

try {
  const setup = readSetup();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  serveProbe(
    { type: 'ready', protocol: 'y-websocket', wsUrl: `ws://127.0.0.1:${port}`, docs: peerDocNames(setup.docs), headers: [{}] },
    async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  );
} catch (err) {
  failStartup(err);
}

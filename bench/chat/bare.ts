/**
 * The floor: a bare `ws` server that broadcasts every message it gets to every client, in one
 * process, as Owncast's single Go hub does. No auth, no storage, no validation. Run as a child
 * process by run.ts; prints its port.
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const text = String(data);
    for (const client of server.clients) client.send(text);
  });
});
server.on('listening', () => {
  const address = server.address();
  console.log(`bare listening ${typeof address === 'object' && address ? address.port : address}`);
});

// A TCP port nothing listens on right now, on 127.0.0.1: the OS picks one (listen on 0),
// and it is closed again at once for the caller to take. The stacks `npm test` starts, the
// test harnesses and the benches each ask for their own ports this way, so runs side by
// side never collide.
import net from 'node:net';

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

import type { Server } from 'node:http';
import { sleep } from '../async/sleep.ts';

/**
 * Stops an HTTP server the way a deploy needs: no new connections, requests in flight run to
 * their response, then their connections close; whatever still runs after `graceMs` is cut.
 * Resolves true when every request finished in time. (closeAllConnections at once, as before,
 * reset the clients of requests in flight.)
 */
export async function drainHttpServer(server: Server, graceMs: number): Promise<boolean> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  let done = false;
  void closed.then(() => (done = true));
  const deadline = Date.now() + graceMs;
  // A keep-alive connection turns idle after its response: close it then, rather than leaving a
  // client to send its next request into a closing socket.
  while (!done && Date.now() < deadline) {
    server.closeIdleConnections();
    await Promise.race([closed, sleep(50)]);
  }
  if (done) return true;
  server.closeAllConnections();
  await closed;
  return false;
}

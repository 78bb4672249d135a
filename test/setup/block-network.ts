import net from 'node:net';

/**
 * Tests never reach the internet: every TCP connection must go to a loopback address or a
 * Unix socket. Telegram, LLM providers, Supabase and Google are local emulators.
 */
const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const originalConnect = net.Socket.prototype.connect;

function targetHost(args: unknown[]): string | undefined {
  const [first] = args;
  if (Array.isArray(first)) return targetHost(first);
  if (first && typeof first === 'object') {
    const options = first as { host?: string; path?: string };
    return options.path ? undefined : (options.host ?? 'localhost');
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a Unix socket path
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (host !== undefined && !loopback.test(host)) {
    throw new Error(`network access blocked in tests: ${host} (use a local emulator)`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

/** Loopback port probes for `doctor` and `--sandbox` (which picks another redirect port when 8080 is busy). */
import net from 'node:net';

/** Whether `port` can be bound on 127.0.0.1 right now (and on ::1 when this machine has IPv6 loopback). */
export async function isPortFree(port: number): Promise<boolean> {
  const v4 = await probe(port, '127.0.0.1');
  if (v4 !== 'free') return false;
  return (await probe(port, '::1')) !== 'busy';
}

/** A port the OS just said is free on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function probe(port: number, host: string): Promise<'free' | 'busy' | 'unavailable'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? 'busy' : 'unavailable');
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

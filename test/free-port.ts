import net from 'node:net';

/**
 * A loopback port that is free now, for a test to give to the program it starts. Taken below Linux's
 * ephemeral range (32768–60999): a port the kernel hands out for listen(0) is also the kind it hands to the
 * outgoing connections of tests running beside this one, and one of those took a login's redirect port on
 * a fresh CI clone ("Port … is already in use"). A random port in 20000–32000 meets neither.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free loopback port found in 20000–32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

import http from 'node:http';
import net from 'node:net';

export interface Hit {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request over loopback, with full control of the Host header (fetch cannot set it). */
export function hit(
  port: number,
  path: string,
  o: { method?: string; headers?: Record<string, string>; body?: string; address?: string } = {},
): Promise<Hit> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `localhost:${port}`, ...o.headers };
    if (o.body !== undefined && !('Content-Length' in headers) && !('Transfer-Encoding' in headers)) {
      headers['Content-Length'] = String(Buffer.byteLength(o.body));
    }
    const req = http.request(
      { host: o.address ?? '127.0.0.1', port, path, method: o.method ?? 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Resolves true when the port can be bound on 127.0.0.1 right now (and releases it). */
export function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port free on both loopback addresses at the time of asking. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1' }, () => {
        const address = server.address();
        const p = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (await canBind(port, '::1')) return port;
  }
}

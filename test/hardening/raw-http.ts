/** Raw HTTP over a socket: requests no well-behaved client would send (bad bytes, foreign Host, huge lines). */
import net from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  text: string;
}

/** Sends the bytes as they are, reads until the server closes (or 3 s), returns the status line's code. */
export function rawRequest(port: number, request: string | Buffer, host = '127.0.0.1'): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    };
    const timer = setTimeout(finish, 3000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One answer is all we want; a kept-alive connection would otherwise wait for the timer.
      const text = Buffer.concat(chunks).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      const head = text.indexOf('\r\n\r\n');
      if (length && head >= 0 && Buffer.byteLength(text, 'latin1') >= head + 4 + Number(length[1])) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** A GET with the given target and headers, Connection: close. */
export function get(target: string, headers: Record<string, string>): string {
  const lines = [`GET ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`;
}

export function post(target: string, headers: Record<string, string>, body: string): string {
  const lines = [
    `POST ${target} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`;
}

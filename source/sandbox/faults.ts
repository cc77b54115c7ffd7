import { type ServerResponse, STATUS_CODES } from 'node:http';
import { errorPage } from './consent-page.js';
import { sendEmpty, sendHtml, sendJson } from './http-util.js';
import type { Fault } from './types.js';

interface ActiveFault {
  fault: Fault;
  remaining: number;
}

/** Injected failures, checked in order before any route runs. */
export class Faults {
  private active: ActiveFault[] = [];

  add(fault: Fault): () => void {
    const entry: ActiveFault = { fault: { ...fault }, remaining: fault.times ?? Number.POSITIVE_INFINITY };
    this.active.push(entry);
    return () => {
      this.active = this.active.filter((e) => e !== entry);
    };
  }

  clear(): void {
    this.active = [];
  }

  /** Applies the faults matching this path. 'slow' delays and lets later ones (or the route) answer;
   * the others answer themselves. Returns true when the request has been dealt with. */
  async apply(path: string, res: ServerResponse): Promise<boolean> {
    for (const entry of [...this.active]) {
      const { fault } = entry;
      if (fault.path && !path.startsWith(fault.path)) continue;
      if (entry.remaining <= 0) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.active = this.active.filter((e) => e !== entry);
      if (fault.kind === 'slow') {
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
        continue;
      }
      answer(fault, res);
      return true;
    }
    return false;
  }
}

function answer(fault: Fault, res: ServerResponse): void {
  switch (fault.kind) {
    case 'reset':
      res.socket?.destroy();
      return;
    case 'html': {
      const status = fault.status ?? 502;
      sendHtml(
        res,
        status,
        errorPage(`${status} ${STATUS_CODES[status] ?? 'Error'}`, 'The server had a problem.'),
      );
      return;
    }
    case 'rate-limit': {
      const retryAfter = fault.retryAfter ?? 60;
      sendJson(
        res,
        429,
        { error: 'Too Many Requests', description: `Rate limit exceeded. Retry in ${retryAfter} seconds.` },
        { 'Retry-After': String(retryAfter) },
      );
      return;
    }
    default: {
      const status = fault.status ?? 500;
      if (fault.body === 'empty') sendEmpty(res, status, { 'Content-Length': '0' });
      else sendJson(res, status, { error: STATUS_CODES[status] ?? 'Error' });
    }
  }
}

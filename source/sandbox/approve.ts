import type { Sandbox } from './types.js';

export interface ApproveResult {
  ok: boolean;
  /** A sentence for the waiting panel. */
  message: string;
}

/**
 * Presses Allow in the emulator, as a browser would: turns its auto-approve on for one GET of the authorize
 * URL (the emulator then calls the redirect URI itself), and back off, so later logins still show consent.
 * Loopback HTTP only: the URL must point at this sandbox.
 */
export async function approveInSandbox(sandbox: Sandbox, authorizeUrl: string): Promise<ApproveResult> {
  if (!authorizeUrl.startsWith(`${sandbox.url}/`)) {
    return { ok: false, message: 'That authorize URL is not the sandbox’s; open it in a browser instead.' };
  }
  sandbox.setAutoApprove(true);
  try {
    const res = await fetch(authorizeUrl, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.ok) return { ok: true, message: 'Approved in the sandbox: it called the redirect URL.' };
    return {
      ok: false,
      message: `The sandbox refused the request (HTTP ${res.status}); check the client and redirect URL.`,
    };
  } catch {
    return { ok: false, message: 'Could not reach the sandbox to approve; it may have stopped.' };
  } finally {
    sandbox.setAutoApprove(false);
  }
}

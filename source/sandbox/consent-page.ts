import { escapeHtml } from './http-util.js';

/** The sandbox's own pages: consent, errors, auto-approve result. Inline styles only, nothing fetched. */

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}.box{border:1px solid #cbd2d9;border-radius:8px;padding:1.25rem}
button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.75rem;border-radius:6px;border:1px solid #7b8794;cursor:pointer}
#allow{background:#03363d;color:#fff}code{background:#f0f4f8;padding:0 .25rem}.muted{color:#616e7c;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

const SCOPE_TEXT: Record<string, string> = {
  read: 'Read your Chat data',
  write: 'Change your Chat data',
  chat: 'Use the Chat Conversations API',
};

export function consentPage(p: {
  consentId: string;
  clientName: string;
  company: string | null;
  scopes: string[];
  subdomain: string;
  agentName: string;
  action: string;
}): string {
  const scopes = p.scopes.map(
    (s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)} (<code>${escapeHtml(s)}</code>)</li>`,
  );
  const by = p.company ? ` by ${escapeHtml(p.company)}` : '';
  return page(
    'Allow access? - Zendesk Chat (sandbox)',
    `<h1>Allow <strong>${escapeHtml(p.clientName)}</strong>${by} to access your Zendesk Chat account?</h1>
<div class="box">
<p>Signed in as ${escapeHtml(p.agentName)} on <code>${escapeHtml(p.subdomain)}</code>.</p>
<p>This application will be able to:</p><ul>${scopes.join('')}</ul>
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="consent_id" value="${escapeHtml(p.consentId)}">
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form></div>
<p class="muted">zchat-auth sandbox: an emulator of Zendesk Chat running on this machine.</p>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(
    `${title} - Zendesk Chat (sandbox)`,
    `<h1>${escapeHtml(title)}</h1><div class="box"><p>${escapeHtml(message)}</p></div>`,
  );
}

export function autoApprovedPage(p: { target: string; ok: boolean; detail: string }): string {
  const title = p.ok ? 'Approved automatically' : 'Approved, but the redirect failed';
  return page(
    `${title} - Zendesk Chat (sandbox)`,
    `<h1>${escapeHtml(title)}</h1><div class="box">
<p>The sandbox pressed Allow itself (auto-approve is on) and sent the result to <code>${escapeHtml(p.target)}</code>.</p>
<p id="result">${escapeHtml(p.detail)}</p></div>`,
  );
}

export function indexPage(url: string): string {
  return page(
    'Zendesk Chat sandbox',
    `<h1>Zendesk Chat sandbox</h1><div class="box"><p>Base URL: <code>${escapeHtml(url)}</code></p>
<p>Authorize: <code>/oauth2/chat/authorizations/new</code>, token: <code>/oauth2/chat/token</code>,
API: <code>/api/v2/chat/...</code></p></div>`,
  );
}

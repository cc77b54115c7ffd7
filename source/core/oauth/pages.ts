/** The small HTML pages the loopback server shows in the browser. No third-party resources, ever. */

export type PageTone = 'ok' | 'error' | 'info';

const colors: Record<PageTone, string> = { ok: '#0a7d32', error: '#b3261e', info: '#444' };

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A strict CSP: nothing loads but our own inline style and script, tagged with this response's nonce. */
export function pageCsp(nonce: string, withScript: boolean): string {
  return [
    "default-src 'none'",
    withScript ? `script-src 'nonce-${nonce}'` : undefined,
    withScript ? "connect-src 'self'" : undefined,
    `style-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ]
    .filter(Boolean)
    .join('; ');
}

export function renderPage(p: {
  title: string;
  message: string;
  tone: PageTone;
  nonce: string;
  script?: string;
  noscript?: string;
}): string {
  const script = p.script ? `<script nonce="${p.nonce}">${p.script}</script>` : '';
  const noscript = p.noscript ? `<noscript><p>${escapeHtml(p.noscript)}</p></noscript>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>zchat-auth: ${escapeHtml(p.title)}</title>
<style nonce="${p.nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}
h1{font-size:1.4em;color:var(--tone)}#zchat{--tone:${colors[p.tone]}}#zchat.ok{--tone:${colors.ok}}#zchat.error{--tone:${colors.error}}
.small{color:#666;font-size:.9em}</style></head>
<body><main id="zchat" class="${p.tone}"><h1 id="title">${escapeHtml(p.title)}</h1><p id="message">${escapeHtml(p.message)}</p>${noscript}
<p class="small">zchat-auth login &middot; this page talks only to the terminal on this computer.</p></main>${script}</body></html>
`;
}

/**
 * Script of the implicit-flow capture page. The token sits in `location.hash`, which never reaches a server:
 * read it (or the query, where a server put the token there), post it with the state it carries to our own
 * origin, then wipe it from the address bar.
 * On a refused post the hash is kept, so the user can still paste the address into the terminal.
 */
export function captureScript(capturePath: string): string {
  return `(async function () {
  var main = document.getElementById('zchat');
  function show(title, message, tone) {
    document.getElementById('title').textContent = title;
    document.getElementById('message').textContent = message;
    main.className = tone;
  }
  var fragment = location.hash.replace(/^#/, '');
  // Some servers put the implicit token in the query string instead: read it there too.
  var query = location.search.replace(/^[?]/, '');
  if (!fragment && /(^|&)access_token=/.test(query)) fragment = query;
  if (!fragment) {
    show('Nothing to capture', 'This address has no #access_token part. Start the login again from the terminal.', 'error');
    return;
  }
  var state = new URLSearchParams(fragment).get('state') || '';
  try {
    var res = await fetch(${JSON.stringify(capturePath)}, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fragment: fragment, state: state }),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer'
    });
    var answer = await res.json();
    if (answer.clear) history.replaceState(null, '', location.pathname + (fragment === query ? '' : location.search));
    show(answer.title, answer.message, answer.tone || (answer.ok ? 'ok' : 'error'));
  } catch (e) {
    show('The terminal did not answer', 'The login may have ended. Copy this page\\'s address and paste it in the terminal (press p), or start again.', 'error');
  }
})();`;
}

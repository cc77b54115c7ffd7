/** `zchat-auth login --help`. */
import { DEFAULT_REDIRECT_URI, DEFAULT_SCOPES, DEFAULT_TIMEOUT_SECONDS } from '../core/login/defaults.js';

export const help = `Usage: zchat-auth login [options]

Logs in to Zendesk Chat with OAuth and stores the token in a profile. In a terminal it shows the live
waiting panel (and asks for what is missing); with --no-tui, without a terminal or on TERM=dumb, it runs
plain: the authorize URL goes to stderr on a line of its own, a browser opens when one can, and once the
token is stored a one-line summary (profile, grant, scopes, masked token) goes to stdout. Without a
terminal it never prompts: a missing value is exit 2, naming the flag or variable to set.

Options
  --profile P              profile to store the token in (default: the subdomain)
  --subdomain S            your Zendesk subdomain: acme for acme.zendesk.com
  --client-id ID           the OAuth client (Zendesk Chat > Account > API & SDKs)
  --flow F                 code (default), implicit, client-credentials or password
  --scope "read write"     space separated: read, write, chat (default "${DEFAULT_SCOPES.join(' ')}")
  --username U             the Chat-only user, for the password flow
  --redirect-uri URI       registered on the client (default ${DEFAULT_REDIRECT_URI})
  --base-url URL           replaces https://{subdomain}.zendesk.com (sandbox, test servers); stored in
                           the profile
  --no-browser             do not open a browser; print the URL only
  --paste                  read the redirected URL from stdin instead of listening
  --no-pkce                code flow without PKCE, for a server that rejects it (remembered in the
                           profile; --pkce turns it back on)
  --paste-code             as --paste, and accept a bare code (it has no state to check)
  --accept-missing-state   accept one redirect that came back without the state it was sent (a server
                           that does not echo it); a wrong state is still refused
  --timeout SECONDS        how long to wait for the browser (default ${DEFAULT_TIMEOUT_SECONDS})
  --json                   print the summary as JSON
  --no-tui                 plain output even in a terminal
  --client-secret-stdin    read the client secret from the first line of stdin
  --insecure-storage       keep the secrets in the config file (mode 0600) even where an OS keyring is
                           usable; remembered by the profile

Secrets are never flags (they would show in \`ps\` and the shell history): the client secret comes from
ZENDESK_CHAT_CLIENT_SECRET, --client-secret-stdin or the prompt; the password from ZENDESK_CHAT_PASSWORD.
Settings not given are taken from the stored profile, so \`zchat-auth login --profile acme\` logs in again.

Over SSH no browser is opened: forward the port (the exact \`ssh -L\` line is printed) or use --paste.
Ctrl+C stops the login, frees the port, stores nothing and exits 130.

Examples
  ZENDESK_CHAT_CLIENT_SECRET=... zchat-auth login --subdomain acme --client-id zchat_client_1
  zchat-auth login --subdomain acme --client-id ID --flow implicit --no-browser
  zchat-auth login --profile acme --paste < redirected-url.txt
  printf '%s\\n' "$SECRET" | zchat-auth login --subdomain acme --client-id ID --flow client-credentials --client-secret-stdin
`;

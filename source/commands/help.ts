/** The top-level `zchat-auth --help`. Each command has its own text next to its code. */
export const mainHelp = `zchat-auth: get, store, test, refresh and revoke OAuth tokens for the Zendesk Chat API.

Usage
  zchat-auth                          the dashboard (the wizard when nothing is stored yet)
  zchat-auth --sandbox                the same, against a built-in Zendesk Chat emulator and a throwaway store
  zchat-auth <command> [options]

Commands
  login                               log in (code, implicit, client-credentials, password) and store the token
  token [--check]                     print the access token and nothing else: $(zchat-auth token)
  status [--json]                     profiles, tokens (masked), last test, age
  test                                GET /api/v2/chat/chats with the token; exit 0 valid, 1 rejected
  refresh                             refresh_token grant; stores the rotated pair
  clients [--json]                    your OAuth clients (those your token's agent created)
  clients confidential ID             make a client confidential (client_type=confidential)
  tokens [--json]                     your OAuth tokens on the server (your agent's)
  tokens revoke ID                    revoke one of them
  logout                              remove a stored profile (--revoke: revoke its token first)
  switch [PROFILE]                    choose the default profile (asks which in a terminal)
  doctor                              check what makes logins fail, and how to fix it
  migrate-secrets --to keyring|file   move stored secrets to the OS keyring or to the config file
  sandbox [--port N]                  run the Zendesk Chat emulator in the foreground
  api PATH [-X M] [-f K=V] [-F K=V]   call the Chat API as the profile: zchat-auth api chats
  exec -- COMMAND [ARGS...]           run COMMAND with ZENDESK_CHAT_TOKEN (and _API, _SUBDOMAIN) set
  completion bash|zsh|fish            print a shell completion script (see its --help to install)

Options
  --profile P                         the profile to use (default: the default profile, else the only one)
  -h, --help                          help; \`zchat-auth <command> --help\` for a command's options
  -v, --version                       the version

Environment
  ZCHAT_AUTH_CONFIG_DIR               where the store lives (default: the OS config dir)
  ZCHAT_AUTH_INSECURE_STORAGE=1       new logins keep their secrets in the config file, as --insecure-storage
  ZCHAT_AUTH_BASE_URL                 replaces https://{subdomain}.zendesk.com at login (sandbox, test servers)
  ZENDESK_CHAT_CLIENT_SECRET          the client secret (never a flag)
  ZENDESK_CHAT_PASSWORD               the password for the password flow (never a flag)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxy for calls to Zendesk (never used for localhost)
  ZCHAT_AUTH_HTTP_TIMEOUT             seconds a request to Zendesk may take (default 15; api and exec 30)
  NO_COLOR                            no colours

Exit codes
  0 success, 1 failure, 2 usage error, 130 interrupted (Ctrl+C)
`;

export const noTtyHint = `zchat-auth: The dashboard needs a terminal (stdin and stdout must be a TTY). For scripts use the commands: zchat-auth login --no-tui, zchat-auth token, zchat-auth status --json; see zchat-auth --help.
`;

export const dumbTerminalHint = `zchat-auth: The dashboard needs a terminal that can move the cursor, and TERM=dumb says this one cannot. Run it in a full terminal, or use the commands: zchat-auth login --no-tui, zchat-auth token, zchat-auth status --json; see zchat-auth --help.
`;

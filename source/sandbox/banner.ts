import type { Sandbox } from './types.js';

/** What `zchat-auth sandbox` prints: where it runs, the demo credentials and a ready login line.
 * These are the emulator's own throwaway values, so showing them is the point. */
export function sandboxBanner(s: Sandbox): string {
  const d = s.demo;
  return [
    `Zendesk Chat sandbox running at ${s.url}`,
    '',
    `  subdomain       ${d.subdomain}`,
    `  client id       ${d.clientId}`,
    `  client secret   ${d.clientSecret}`,
    `  redirect URI    ${d.redirectUri}`,
    `  password grant  ${d.username} / ${d.password} (needs a confidential client${s.settings.chatOnlyAccount ? ')' : ' and --chat-only-account)'}`,
    `  admin token     ${d.adminToken}`,
    `  switches        ${switches(s)}`,
    '',
    'Log in against it:',
    `  ZENDESK_CHAT_CLIENT_SECRET=${d.clientSecret} \\`,
    `  zchat-auth login --base-url ${s.url} --subdomain ${d.subdomain} --client-id ${d.clientId}`,
  ].join('\n');
}

/** The answers chosen where Zendesk's documents leave them open, as the flags that would choose them. */
export function switches(s: Pick<Sandbox, 'settings'>): string {
  const o = s.settings;
  return [
    `--state ${o.echoState ? 'echoed' : 'omitted'}`,
    `--refresh-tokens ${o.refreshTokens}`,
    `--implicit-in ${o.implicitIn}`,
    `--dates ${o.datesWithZ ? 'z' : 'no-zone'}`,
    `--redirect-uris ${o.redirectUrisAs}`,
    ...(o.chatOnlyAccount ? ['--chat-only-account'] : []),
  ].join(' ');
}

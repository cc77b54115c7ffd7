/** What several commands share: the profile to act on, its API client, and sentences about test results. */
import { toZchatError, type ZchatError } from '../core/errors.js';
import type { LastTest, Profile } from '../core/store/types.js';
import { terminalSafe } from '../core/terminal-safe.js';
import type { ChatApi } from '../core/zendesk/chat-api.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import type { Services } from '../services.js';
import { integerValue, usage } from './args.js';
import { profileFlag, requireToken } from './profile-args.js';

export { profileFlag, profileOption, requireToken, withProfile } from './profile-args.js';

/**
 * `clients [confidential ID]`, `tokens [revoke ID]`: no positional lists; else the one action and a
 * numeric ID. `noun` is what the ID names ("client", "token").
 */
export function listOrAction<A extends string>(
  positionals: string[],
  command: string,
  action: A,
  noun: string,
): { action: 'list' } | { action: A; id: number } {
  const [given, id] = positionals;
  if (given === undefined) return { action: 'list' };
  if (given !== action) {
    throw usage(
      `Unknown ${command} action "${given.slice(0, 24)}".`,
      `Use \`zchat-auth ${command}\` or \`zchat-auth ${command} ${action} ID\`.`,
    );
  }
  if (id === undefined) {
    throw usage(
      `Which ${noun}? Give its ID: \`zchat-auth ${command} ${action} ID\` (IDs are listed by \`zchat-auth ${command}\`).`,
    );
  }
  const label = `The ${noun} ID`;
  return { action, id: integerValue(id, label, 1, Number.MAX_SAFE_INTEGER) };
}

export function baseUrlOf(profile: Profile): string {
  return resolveBaseUrl(profile.subdomain, profile.baseUrl);
}

/** The Chat API as the profile's token, at the profile's stored base URL. */
export async function apiFor(
  services: Services,
  profileName?: string,
): Promise<{ profile: Profile; api: ChatApi }> {
  const profile = services.store.resolve(profileName);
  const token = requireToken(profile);
  return { profile, api: await services.chatApi(baseUrlOf(profile), token.accessToken) };
}

/** Factories in the shape profile-actions wants, bound to the services. */
export function makers(services: Services) {
  return {
    makeChatApi: (baseUrl: string, accessToken: string) => services.chatApi(baseUrl, accessToken),
    makeTokenClient: (baseUrl: string) => services.tokenClient(baseUrl),
  };
}

/**
 * testProfile (which records the result), plus the core's own sentence when the test failed: LastTest keeps
 * only the class of failure, and the core's error knows which host (or proxy) and which status it was.
 */
export async function testWithReason(
  services: Services,
  name: string,
): Promise<{ test: LastTest; reason?: ZchatError }> {
  const { testProfile } = await import('../core/profile-actions.js');
  let reason: ZchatError | undefined;
  const test = await testProfile(services.store, name, async (baseUrl, accessToken) => {
    const api = await services.chatApi(baseUrl, accessToken);
    return {
      ...api,
      chats: () =>
        api.chats().catch((error: unknown) => {
          reason = toZchatError(error);
          throw error;
        }),
    };
  });
  return test.ok || !reason ? { test } : { test, reason };
}

/**
 * One sentence per test result, and whether it is the token's fault (exit 1 either way). `reason`, the
 * core's error, says what really happened when the server could not judge the token (which proxy was
 * down, what a 400 or a redirect said).
 */
export function describeTest(profile: Profile, test: LastTest, reason?: ZchatError): string {
  const who = `The token of profile "${profile.name}"`;
  const status = test.status === undefined ? '' : ` (${test.status})`;
  const unjudged = (fallback: string) =>
    reason
      ? `${reason.message.replace(/\.$/, '')}, so the token of profile "${profile.name}" could not be judged.${
          reason.hint ? ` ${reason.hint}` : ''
        }`
      : fallback;
  switch (test.result) {
    case 'valid':
      return `${who} is valid: GET /api/v2/chat/chats answered ${test.status ?? 200}${
        test.durationMs === undefined ? '' : ` in ${Math.round(test.durationMs)} ms`
      }.`;
    case 'expired-or-revoked':
      if (profile.token?.revokedAt) {
        return `${who} was rejected${status}: zchat-auth revoked it at the server (${profile.token.revokedAt}), and its refresh token with it. Run \`zchat-auth login ${profileFlag(profile.name)}\` for a new one.`;
      }
      return `${who} was rejected${status}: it has expired or was revoked. ${
        profile.token?.refreshToken
          ? `Run \`zchat-auth refresh ${profileFlag(profile.name)}\` for a new one.`
          : `Run \`zchat-auth login ${profileFlag(profile.name)}\` for a new one.`
      }`;
    case 'missing-scope':
      return `${who} was refused${status}: it lacks a scope (or the agent a role) the call needs. Log in again with \`--scope "read write"\` (add chat for the Conversations API).`;
    case 'rate-limited':
      return `Zendesk rate-limited the test${status}, so the token could not be judged. Wait a minute and run \`zchat-auth test\` again.`;
    case 'server-error':
      return unjudged(
        `Zendesk answered with a server error or a web page${status}, so the token could not be judged. Try again later.`,
      );
    case 'network':
      return unjudged(
        `Could not reach ${baseUrlOf(profile)}, so the token could not be judged. Check the network and any proxy settings (\`zchat-auth doctor\`).`,
      );
  }
}

/** "3 min", "2 h", "5 d": the age of a token, for status lines. */
export function age(fromIso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** Plain aligned columns (no colour: the output is meant for pipes as much as for eyes). */
export function table(cells: string[][]): string {
  // A cell is one field: a line break in a server's client name must not start a fake row.
  const rows = cells.map((row) => row.map((cell) => terminalSafe(cell)));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

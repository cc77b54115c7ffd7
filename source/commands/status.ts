/**
 * `zchat-auth status [--json]`: every profile, its token masked, the last test and the token's age.
 * Reads the store's masked listing only, so no secret is ever at hand here. The JSON keys are documented in
 * the README and stable: add keys, never rename or remove them.
 */
import { ZchatError } from '../core/errors.js';
import { NO_REFRESH_TOKEN } from '../core/refresh-wording.js';
import type { ProfileView } from '../core/store/types.js';
import { secretsPlace } from '../core/store/view.js';
import { resolveBaseUrl } from '../core/zendesk/endpoints.js';
import { flag } from './args.js';
import { type Command, line, printJsonList } from './command.js';
import { age, table, withProfile } from './shared.js';

export interface StatusOptions {
  profile?: string;
  json: boolean;
}

const help = `Usage: zchat-auth status [--profile P] [--json]

Shows the stored profiles: subdomain, client, flow, scopes, the token (masked), its age and the last test.
Exit 0 when at least one profile is stored, 1 when none is (or --profile names one that does not exist).

Options
  --profile P   only this profile
  --json        stable JSON for scripts (keys documented in the README): indented on a
                terminal, one line in a pipe or a file

Examples
  zchat-auth status
  zchat-auth status --json | jq -r '.profiles[] | select(.isDefault) | .token.masked'
`;

export interface StatusJson {
  schemaVersion: 1;
  configPath: string;
  defaultProfile: string | null;
  profiles: ProfileJson[];
}

export interface ProfileJson {
  name: string;
  isDefault: boolean;
  subdomain: string;
  baseUrl: string;
  clientId: string;
  hasClientSecret: boolean;
  flow: string;
  scopes: string[];
  redirectUri: string;
  username: string | null;
  createdAt: string;
  updatedAt: string;
  token: {
    masked: string;
    tokenType: string;
    grant: string;
    scope: string;
    hasRefreshToken: boolean;
    obtainedAt: string;
    ageSeconds: number;
    expiresAt: string | null;
  } | null;
  lastTest: {
    at: string;
    ok: boolean;
    result: string;
    status: number | null;
    durationMs: number | null;
  } | null;
  /** Where the access token, refresh token and client secret are kept. */
  secretsIn: 'keyring' | 'file';
  /** Why the file, when no keyring was usable at login; null otherwise. */
  keyringUnusable: string | null;
  /** The profile keeps its secrets in the file on purpose (login --insecure-storage). */
  insecureStorage: boolean;
}

/**
 * resolveBaseUrl parses the override as a URL: 1,000 profiles mostly share a few, so each pair is resolved
 * once per run (a refused override throws every time, as before).
 */
const baseUrls = new Map<string, string>();
/** The pair resolved last: a run of profiles with the same pair makes no key string each. */
let last: { subdomain: string; baseUrl: string | undefined; url: string } | undefined;
function baseUrlOf(p: ProfileView): string {
  if (last && last.subdomain === p.subdomain && last.baseUrl === p.baseUrl) return last.url;
  const key = `${p.subdomain}\u0000${p.baseUrl ?? ''}`;
  let url = baseUrls.get(key);
  if (url === undefined) {
    url = resolveBaseUrl(p.subdomain, p.baseUrl);
    baseUrls.set(key, url);
  }
  last = { subdomain: p.subdomain, baseUrl: p.baseUrl, url };
  return url;
}

function toJson(p: ProfileView, now: Date, baseUrl: string): ProfileJson {
  return {
    name: p.name,
    isDefault: p.isDefault,
    subdomain: p.subdomain,
    baseUrl,
    clientId: p.clientId,
    hasClientSecret: p.hasClientSecret,
    flow: p.flow,
    scopes: p.scopes,
    redirectUri: p.redirectUri,
    username: p.username ?? null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    token: p.token
      ? {
          masked: p.token.accessTokenMasked,
          tokenType: p.token.tokenType,
          grant: p.token.grant,
          scope: p.token.scope,
          hasRefreshToken: p.token.hasRefreshToken,
          obtainedAt: p.token.obtainedAt,
          ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(p.token.obtainedAt)) / 1000)),
          expiresAt: p.token.expiresAt ?? null,
        }
      : null,
    lastTest: p.lastTest
      ? {
          at: p.lastTest.at,
          ok: p.lastTest.ok,
          result: p.lastTest.result,
          status: p.lastTest.status ?? null,
          durationMs: p.lastTest.durationMs ?? null,
        }
      : null,
    secretsIn: p.secretsIn,
    keyringUnusable: p.keyringUnusable ?? null,
    insecureStorage: p.insecureStorage === true,
  };
}

function describe(p: ProfileView, now: Date): string {
  const head = `${p.name}${p.isDefault ? ' (default)' : ''}`;
  const rows: string[][] = [
    ['  subdomain', p.subdomain],
    ['  base URL', baseUrlOf(p)],
    ['  client', `${p.clientId}${p.hasClientSecret ? ' (secret stored)' : ''}`],
    ['  flow', p.flow],
    ['  scopes', p.scopes.join(' ')],
    ['  secrets', secretsPlace(p)],
  ];
  if (p.token) {
    const refresh = p.token.hasRefreshToken ? ', refresh token stored' : `; ${NO_REFRESH_TOKEN}`;
    rows.push([
      '  token',
      `${p.token.accessTokenMasked} (${p.token.grant}, scope "${p.token.scope}"${refresh})`,
    ]);
    rows.push(['  age', `${age(p.token.obtainedAt, now)} (obtained ${p.token.obtainedAt})`]);
    if (p.token.expiresAt) rows.push(['  expires', p.token.expiresAt]);
  } else {
    rows.push(['  token', 'none (run `zchat-auth login`)']);
  }
  if (p.lastTest) {
    const status = p.lastTest.status === undefined ? '' : ` ${p.lastTest.status}`;
    rows.push(['  last test', `${p.lastTest.result}${status}, ${age(p.lastTest.at, now)} ago`]);
  } else {
    rows.push(['  last test', 'never']);
  }
  return `${head}\n${table(rows)}`;
}

export const command: Command<StatusOptions> = {
  help,
  options: { json: { type: 'boolean' } },
  maxPositionals: 0,
  build({ values }) {
    return { ...withProfile(values), json: flag(values, 'json') };
  },
  async run(options, io) {
    const { store, now } = io.services();
    const at = now();
    let profiles = store.list();
    if (options.profile !== undefined) {
      profiles = profiles.filter((p) => p.name === options.profile);
      if (profiles.length === 0) {
        throw new ZchatError('no_profile', `No profile is named "${options.profile}".`, {
          hint: 'Run `zchat-auth status` to see the stored ones.',
        });
      }
    }
    if (options.json) {
      const head: Omit<StatusJson, 'profiles'> = {
        schemaVersion: 1,
        configPath: store.path,
        defaultProfile: store.defaultProfile() ?? null,
      };
      // A base URL override the store refuses throws here, before a byte of the JSON is written.
      const baseUrls = profiles.map(baseUrlOf);
      printJsonList(io.stdout, head, 'profiles', profiles.length, (i) =>
        toJson(profiles[i] as ProfileView, at, baseUrls[i] as string),
      );
      return profiles.length > 0 ? 0 : 1;
    }
    if (profiles.length === 0) {
      line(io.stderr, `zchat-auth: No profile is stored (${store.path}). Run \`zchat-auth login\`.`);
      return 1;
    }
    line(io.stdout, profiles.map((p) => describe(p, at)).join('\n\n'));
    return 0;
  },
};

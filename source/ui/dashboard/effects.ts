/**
 * Carries out a dashboard intent: the calls to the store and the API, progress and a result line. No React:
 * the screen hands in what it holds (services, the account's API, dispatch) as a context.
 */
import { toZchatError } from '../../core/errors.js';
import { refreshProfile, testProfile } from '../../core/profile-actions.js';
import { mask } from '../../core/redact.js';
import { REFRESH_TOKEN_SPENT } from '../../core/refresh-wording.js';
import { markRevoked, revokeServerToken } from '../../core/server-token.js';
import { removeEntryCommand } from '../../core/store/keyring.js';
import { toCurl } from '../../core/zendesk/curl.js';
import type { Services } from '../../services.js';
import { accessTokenOf } from '../access-token-of.js';
import type { CopyResult } from '../clipboard/copy.js';
import type { ExchangeLog } from '../exchange-log.js';
import { testSentence } from '../format.js';
import type { AccountDataApi } from '../hooks/use-account-data.js';
import type { Activity, ConfirmAction, DashboardAction } from '../hooks/use-dashboard-state.js';
import type { Intent } from './intent.js';

export interface EffectContext {
  services: Services;
  log: ExchangeLog;
  account: AccountDataApi;
  dispatch(action: DashboardAction): void;
  reloadProfiles(): void;
  copy(text: string): Promise<CopyResult>;
  onNewLogin(profile?: string): void;
  onQuit(): void;
  /** Fetch the account's lists with this profile's token from now on. */
  chooseVia(profile: string): void;
}

interface Job {
  text: string;
  action: () => Promise<Activity>;
}

/**
 * Runs one action at a time: progress on the activity line, then its result, which stays until the next.
 * An action asked for while another runs waits its turn and the activity line says so: no key is dropped.
 */
export class ActionRunner {
  private running: Job | undefined;
  private readonly queue: Job[] = [];
  private live = true;

  constructor(private readonly dispatch: (action: DashboardAction) => void) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  run(text: string, action: () => Promise<Activity>): void {
    const job = { text, action };
    if (this.running) {
      this.queue.push(job);
      this.show(this.running.text);
      return;
    }
    void this.start(job);
  }

  /** The screen is gone: results are no longer shown, and queued actions do not start. */
  stop(): void {
    this.live = false;
    this.queue.length = 0;
  }

  private show(text: string): void {
    const next = this.queue.map((j) => j.text.replace(/[:\u2026].*$/, '')).join(', then ');
    const waiting = next ? ` (next: ${next})` : '';
    this.dispatch({ type: 'activity', activity: { kind: 'busy', text: `${text}${waiting}` } });
  }

  private async start(job: Job): Promise<void> {
    this.running = job;
    this.show(job.text);
    let result: Activity;
    try {
      result = await job.action();
    } catch (error) {
      result = { kind: 'error', text: toZchatError(error).sentence };
    }
    this.running = undefined;
    if (!this.live) return;
    this.dispatch({ type: 'activity', activity: result });
    const next = this.queue.shift();
    if (next) void this.start(next);
  }
}

const noApi: Activity = { kind: 'error', text: 'No stored token for this account: log in first (n).' };

export function runIntent(intent: Intent, ctx: EffectContext, runner: ActionRunner): void {
  switch (intent.type) {
    case 'none':
      return;
    case 'state':
      ctx.dispatch(intent.action);
      return;
    case 'quit':
      ctx.onQuit();
      return;
    case 'new-login':
      ctx.onNewLogin(intent.profile);
      return;
    case 'reload':
      ctx.reloadProfiles();
      ctx.account.reload();
      ctx.dispatch({
        type: 'activity',
        activity: {
          kind: 'info',
          text: 'Reloaded the profiles; the clients and server tokens are fetched again.',
        },
      });
      return;
    case 'use-via':
      ctx.chooseVia(intent.profile);
      ctx.dispatch({
        type: 'activity',
        activity: {
          kind: 'info',
          text: `The clients and server tokens are fetched with ${intent.profile}’s token now (Zendesk lists its agent’s own); u chooses another.`,
        },
      });
      return;
    case 'test':
      runner.run(`Testing ${intent.profile}: GET /api/v2/chat/chats…`, () => test(ctx, intent.profile));
      return;
    case 'refresh':
      runner.run(`Refreshing ${intent.profile}: POST /oauth2/chat/token (refresh_token)…`, () =>
        refresh(ctx, intent.profile),
      );
      return;
    case 'set-default': {
      const name = intent.profile;
      runner.run(`Making ${name} the default…`, async () => {
        await ctx.services.store.setDefault(name);
        ctx.reloadProfiles();
        return {
          kind: 'ok',
          text: `${name} is now the default profile: zchat-auth token and the other commands use it.`,
        };
      });
      return;
    }
    case 'confirmed':
      ctx.dispatch({ type: 'answer' });
      runConfirmed(intent.confirm, ctx, runner);
      return;
    case 'copy-token': {
      const name = intent.profile;
      const { accessToken: secret, problem } = accessTokenOf(ctx.services.store, name);
      if (problem) ctx.dispatch({ type: 'activity', activity: { kind: 'error', text: problem } });
      if (!secret) return;
      runner.run('Copying the token…', async () => {
        const result = await ctx.copy(secret);
        return { kind: 'ok', text: `${name}’s access token: ${result.message}` };
      });
      return;
    }
    case 'copy-client-id':
      runner.run('Copying the client ID…', async () => {
        const result = await ctx.copy(intent.id);
        return { kind: 'ok', text: `Client ID ${intent.id}: ${result.message}` };
      });
      return;
    case 'copy-curl': {
      const { exchange, reveal } = intent;
      runner.run('Copying the request as curl…', async () => {
        const result = await ctx.copy(toCurl(exchange, { reveal }));
        const what = `${exchange.method} ${new URL(exchange.url).pathname}`;
        const secrets = reveal ? 'with its secrets' : 'secrets masked (v, then e, copies them)';
        return { kind: 'ok', text: `Copied ${what} as curl, ${secrets}. ${result.message}` };
      });
      return;
    }
  }
}

async function test(ctx: EffectContext, name: string): Promise<Activity> {
  const result = await testProfile(ctx.services.store, name, (baseUrl, token) =>
    ctx.services.chatApi(baseUrl, token, (e) => ctx.log.set(`p:${name}`, e)),
  );
  ctx.reloadProfiles();
  const token = ctx.services.store.list().find((p) => p.name === name)?.token;
  return { kind: result.ok ? 'ok' : 'error', text: testSentence(name, result, token) };
}

async function refresh(ctx: EffectContext, name: string): Promise<Activity> {
  const outcome = await refreshProfile(
    ctx.services.store,
    name,
    (baseUrl) => ctx.services.tokenClient(baseUrl, (e) => ctx.log.set(`p:${name}`, e)),
    () => ctx.services.now(),
  );
  ctx.reloadProfiles();
  ctx.account.reload();
  return outcome.rotatedElsewhere
    ? {
        kind: 'info',
        text: `${name}: another zchat-auth had just refreshed it; using its new token ${mask(outcome.token.accessToken)} (nothing spent).`,
      }
    : {
        kind: 'ok',
        text: `${name}: refreshed. New token ${mask(outcome.token.accessToken)}${outcome.token.refreshToken ? ' and a new refresh token stored.' : ` stored. ${REFRESH_TOKEN_SPENT}.`}`,
      };
}

function runConfirmed(c: ConfirmAction, ctx: EffectContext, runner: ActionRunner): void {
  if (c.type === 'confidential') {
    runner.run(`Making “${c.name}” confidential: PUT /api/v2/chat/oauth/clients/${c.clientId}…`, async () => {
      const api = ctx.account.api(`c:${c.clientId}`);
      if (!api) return noApi;
      const client = await (await api).updateClient(c.clientId, { client_type: 'confidential' });
      ctx.account.patchClient(client);
      return {
        kind: 'ok',
        text: `“${client.name}” is now ${client.client_type}. Careful: saving this client again in the Zendesk Chat dashboard turns it back to public.`,
      };
    });
  } else if (c.type === 'revoke') {
    runner.run(`Revoking ${c.label}: DELETE /api/v2/chat/oauth/tokens/${c.tokenId}…`, async () => {
      const api = ctx.account.api(c.profile ? `p:${c.profile}` : `s:${c.tokenId}`);
      if (!api) return noApi;
      const outcome = await revokeServerToken(await api, c.tokenId);
      ctx.account.dropServerToken(c.tokenId);
      // The profile's row says "revoked" at once, and `t` then advises a new login, not a refresh.
      const held = c.profile ? ctx.services.store.list().find((p) => p.name === c.profile)?.token : undefined;
      if (c.profile && held) {
        // Best effort: the revoke happened whether or not the store can record it now.
        await markRevoked(ctx.services.store, c.profile, held.accessTokenSha256, ctx.services.now()).catch(
          () => false,
        );
        ctx.reloadProfiles();
      }
      const done = outcome === 'revoked' ? 'Revoked' : 'It was already revoked:';
      return {
        kind: outcome === 'revoked' ? 'ok' : 'info',
        text: c.profile
          ? `${done} ${c.label} on the server. The stored copy no longer works: d deletes it, n logs in again.`
          : `${done} ${c.label} on the server.`,
      };
    });
  } else {
    runner.run(`Deleting ${c.profile}…`, async () => {
      const removal = await ctx.services.store.removeProfile(c.profile);
      ctx.reloadProfiles();
      if (!removal.removed) return { kind: 'info', text: `The profile “${c.profile}” was already gone.` };
      const [left] = removal.keyringLeft;
      return left === undefined
        ? { kind: 'ok', text: `Deleted the profile “${c.profile}” from this machine.` }
        : {
            kind: 'info',
            // Short enough for the two-line activity line: the command is what the user needs.
            text: `Deleted “${c.profile}”; the OS keyring ${removal.keyringProblem ? 'is out of reach' : 'refused'}, so its entry stays: ${removeEntryCommand(left)}`,
          };
    });
  }
}

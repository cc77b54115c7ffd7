import { createHash, randomBytes } from 'node:crypto';

/** The emulated Chat account: agents, OAuth clients, tokens, codes and pending consents. */

export const KNOWN_SCOPES = ['read', 'write', 'chat'] as const;
/** What a client may hold (the clients reference: "Only supports 'read' or 'write'"). `chat` is for the
 * Conversations API; only a client the emulator is told to let have it (setClientScopes) allows it. */
export const CLIENT_SCOPES = ['read', 'write'] as const;

export type ClientType = 'public' | 'confidential';

export interface Agent {
  id: number;
  name: string;
  email: string;
  /** Owner and admin may manage OAuth clients and tokens (each only their own). */
  role: 'owner' | 'admin' | 'agent';
  /** Only the Chat-only agent has one (password grant). */
  password?: string;
}

export interface ClientRecord {
  id: number;
  name: string;
  company: string | null;
  redirectUris: string[];
  identifier: string;
  secret: string;
  type: ClientType;
  scopes: string[];
  agentId: number;
  createdAt: number;
  updatedAt: number;
}

export interface TokenRecord {
  id: number;
  access: string;
  refresh?: string;
  clientId: number;
  clientIdentifier: string;
  scopes: string[];
  grant: string;
  agentId: number;
  /** Tokens born of one code (and their rotations) share it, so code reuse can revoke them all. */
  family: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshSpent: boolean;
}

export interface CodeRecord {
  code: string;
  clientId: number;
  redirectUri: string;
  redirectUriSent: boolean;
  scopes: string[];
  challenge?: string;
  agentId: number;
  expiresAt: number;
  used: boolean;
}

export interface ConsentRecord {
  id: string;
  clientId: number;
  redirectUri: string;
  redirectUriSent: boolean;
  responseType: 'code' | 'token';
  scopes: string[];
  state?: string;
  challenge?: string;
  expiresAt: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, like Chat's identifiers and secrets (rejection sampling keeps it unbiased). */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALNUM[byte % 62];
    }
  }
  return out;
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Chat's dates have no milliseconds: 2014-09-09T07:49:20Z (or, as one third-party sample, no zone). */
export function isoDate(ms: number, withZ = true): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, withZ ? 'Z' : '');
}

/** Space-separated scopes → list, or undefined when one is unknown or there are none. */
export function parseScopes(raw: string | null | undefined): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const list = [...new Set(raw.split(/[\s+]+/).filter(Boolean))];
  if (list.length === 0 || list.some((s) => !(KNOWN_SCOPES as readonly string[]).includes(s)))
    return undefined;
  return list;
}

export function isSubset(wanted: string[], allowed: string[]): boolean {
  return wanted.every((s) => allowed.includes(s));
}

/** Redirect URLs must be absolute, https, or plain http on a loopback host. */
export function isAllowedRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export type RefreshMode = 'rotate' | 'single-use' | 'reusable';

export interface StateOptions {
  chatOnlyAccount: boolean;
  autoApprove: boolean;
  echoState: boolean;
  refreshTokens: RefreshMode;
  implicitIn: 'fragment' | 'query';
  datesWithZ: boolean;
  redirectUrisAs: 'list' | 'string';
  codeTtlMs: number;
  tokenTtlMs: number;
}

export class SandboxState {
  readonly subdomain = 'demo';
  readonly accountKey = randomAlnum(32);
  readonly createdAt = Date.now() - 400 * 24 * 3600 * 1000;
  readonly agents: Agent[];
  readonly clients = new Map<number, ClientRecord>();
  readonly tokens = new Map<number, TokenRecord>();
  readonly codes = new Map<string, CodeRecord>();
  readonly consents = new Map<string, ConsentRecord>();
  /** Zendesk Support API tokens (minted for tests): Chat knows them not, so they get 401 everywhere. */
  readonly supportTokens = new Set<string>();
  private readonly byAccess = new Map<string, TokenRecord>();
  private readonly byRefresh = new Map<string, TokenRecord>();
  private nextClientId = 100_000_001;
  private nextTokenId = 200_000_001;

  constructor(public options: StateOptions) {
    this.agents = [
      { id: 100_000_201, name: 'Demo Admin', email: 'admin@demo.example', role: 'owner' },
      {
        id: 100_000_202,
        name: 'Chat Agent',
        email: 'agent@demo.example',
        role: 'agent',
        password: randomAlnum(16),
      },
      // A second administrator: the lists are per agent, so the owner never sees this one's clients/tokens.
      { id: 100_000_203, name: 'Other Admin', email: 'other@demo.example', role: 'admin' },
    ];
  }

  date(ms: number): string {
    return isoDate(ms, this.options.datesWithZ);
  }

  get owner(): Agent {
    return this.agents[0]!;
  }

  isAdmin(agentId: number): boolean {
    return this.agents.some((a) => a.id === agentId && a.role !== 'agent');
  }

  createClient(input: {
    name: string;
    company?: string | null;
    redirectUris: string[];
    scopes: string[];
    type?: ClientType;
    agentId?: number;
  }): ClientRecord {
    const now = Date.now();
    const client: ClientRecord = {
      id: this.nextClientId++,
      name: input.name,
      company: input.company ?? null,
      redirectUris: input.redirectUris,
      identifier: randomAlnum(50),
      secret: randomAlnum(64),
      type: input.type ?? 'public',
      scopes: input.scopes,
      agentId: input.agentId ?? this.owner.id,
      createdAt: now,
      updatedAt: now,
    };
    this.clients.set(client.id, client);
    return client;
  }

  clientByIdentifier(identifier: string | null | undefined): ClientRecord | undefined {
    if (!identifier) return undefined;
    for (const c of this.clients.values()) if (c.identifier === identifier) return c;
    return undefined;
  }

  deleteClient(id: number): boolean {
    const client = this.clients.get(id);
    if (!client) return false;
    this.clients.delete(id);
    for (const t of this.tokens.values()) if (t.clientId === id) this.revoke(t);
    for (const [k, c] of this.codes) if (c.clientId === id) this.codes.delete(k);
    return true;
  }

  issueToken(p: {
    client: ClientRecord;
    scopes: string[];
    grant: string;
    agentId: number;
    withRefresh: boolean;
    family?: string;
  }): TokenRecord {
    const now = Date.now();
    const token: TokenRecord = {
      id: this.nextTokenId++,
      access: randomAlnum(64),
      clientId: p.client.id,
      clientIdentifier: p.client.identifier,
      scopes: p.scopes,
      grant: p.grant,
      agentId: p.agentId,
      family: p.family ?? randomAlnum(16),
      createdAt: now,
      expiresAt: now + this.options.tokenTtlMs,
      revoked: false,
      refreshSpent: false,
    };
    if (p.withRefresh) {
      token.refresh = randomAlnum(64);
      this.byRefresh.set(token.refresh, token);
    }
    this.tokens.set(token.id, token);
    this.byAccess.set(token.access, token);
    return token;
  }

  tokenByAccess(access: string): TokenRecord | undefined {
    return this.byAccess.get(access);
  }

  tokenByRefresh(refresh: string | null | undefined): TokenRecord | undefined {
    return refresh ? this.byRefresh.get(refresh) : undefined;
  }

  /** A reusable refresh token moves to the token it just made (the old access token is retired). */
  moveRefresh(from: TokenRecord, to: TokenRecord): void {
    if (!from.refresh) return;
    to.refresh = from.refresh;
    this.byRefresh.set(from.refresh, to);
    delete from.refresh;
  }

  mintSupportToken(): string {
    // Shaped like a Support API token (40 letters and digits); Chat has never heard of it.
    const token = randomAlnum(40);
    this.supportTokens.add(token);
    return token;
  }

  isValid(token: TokenRecord | undefined): token is TokenRecord {
    return token !== undefined && !token.revoked && token.expiresAt > Date.now();
  }

  /** Revoking a token kills its access token and its refresh token. */
  revoke(token: TokenRecord): void {
    token.revoked = true;
    token.refreshSpent = true;
  }

  revokeFamily(family: string): void {
    for (const t of this.tokens.values()) if (t.family === family) this.revoke(t);
  }

  createCode(p: Omit<CodeRecord, 'code' | 'expiresAt' | 'used'>): CodeRecord {
    const code: CodeRecord = {
      ...p,
      code: randomAlnum(40),
      expiresAt: Date.now() + this.options.codeTtlMs,
      used: false,
    };
    this.codes.set(code.code, code);
    return code;
  }

  createConsent(p: Omit<ConsentRecord, 'id' | 'expiresAt'>): ConsentRecord {
    const consent: ConsentRecord = { ...p, id: randomAlnum(32), expiresAt: Date.now() + 30 * 60 * 1000 };
    this.consents.set(consent.id, consent);
    return consent;
  }

  /** One-time: a consent id is gone once it is read. */
  takeConsent(id: string | null | undefined): ConsentRecord | undefined {
    if (!id) return undefined;
    const consent = this.consents.get(id);
    this.consents.delete(id);
    if (!consent || consent.expiresAt <= Date.now()) return undefined;
    return consent;
  }
}

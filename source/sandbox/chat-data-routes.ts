/**
 * The part of the Chat REST API that `zchat-auth api` is for, with seeded data: chats (paginated with
 * `next_url`, as Chat does), agents and departments (list, read, create). Authentication, the rate limit
 * and the scope check have already run in api-routes.ts.
 *
 * Pagination: `limit` (1-100, default 100) and an opaque `cursor`; `next_url` is an absolute URL on the
 * sandbox's own origin, or null on the last page. `count` is the number of chats in the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededChats } from './api-routes.js';
import type { RouteContext } from './context.js';
import { readBody, sendJson } from './http-util.js';
import { isoDate, type SandboxState } from './state.js';

const MAX_LIMIT = 100;

interface Department {
  id: number;
  name: string;
  description: string;
  enabled: boolean;
  members: number[];
  settings: { chat_enabled: boolean; support_group_id: number | null };
}

/** Departments live beside the state (the OAuth part of the sandbox does not need them). */
const departmentsOf = new WeakMap<SandboxState, { list: Department[]; nextId: number }>();

function departments(state: SandboxState) {
  let entry = departmentsOf.get(state);
  if (!entry) {
    const everyone = state.agents.map((a) => a.id);
    entry = {
      list: [
        department(1, 'Support', 'First line for every visitor', everyone),
        department(2, 'Sales', 'Pricing and plans', [state.owner.id]),
      ],
      nextId: 3,
    };
    departmentsOf.set(state, entry);
  }
  return entry;
}

function department(id: number, name: string, description: string, members: number[]): Department {
  return {
    id: 4_000_000_000 + id,
    name,
    description,
    enabled: true,
    members,
    settings: { chat_enabled: true, support_group_id: null },
  };
}

const VISITORS = [
  ['Katherine Johnson', 'Can I export last month of chats?'],
  ['Edsger Dijkstra', 'The widget shows the wrong department.'],
  ['Barbara Liskov', 'How do triggers work with departments?'],
  ['Donald Knuth', 'A typo on the offline form.'],
  ['Margaret Hamilton', 'Where are chat transcripts stored?'],
  ['Dennis Ritchie', 'Does the API paginate?'],
  ['Frances Allen', 'Our agents cannot see each other.'],
  ['John McCarthy', 'Can a bot answer first?'],
  ['Radia Perlman', 'Chats drop when I switch tabs.'],
] as const;

/** The three chats every sandbox has (api-routes.ts), then more, so that pages can be followed. */
export function allChats(ctx: RouteContext): Record<string, unknown>[] {
  const first = seededChats(ctx);
  const day = 24 * 3600 * 1000;
  const base = ctx.state.createdAt + 300 * day;
  const more = VISITORS.map(([visitor, message], i) => {
    const n = first.length + i + 1;
    return {
      ...first[i % first.length]!,
      id: `2104.${100_000 + n}.${(n * 7919).toString(36).toUpperCase()}`,
      timestamp: isoDate(base + n * day),
      update_timestamp: isoDate(base + n * day + 600_000),
      visitor: { name: visitor, email: `${visitor.toLowerCase().replace(/\s+/g, '.')}@example.com` },
      rating: n % 3 === 0 ? 'good' : null,
      history: [{ type: 'chat.msg', name: visitor, msg: message, timestamp: isoDate(base + n * day) }],
    };
  });
  return [...first, ...more];
}

/** Handles the path if it is one of these routes; false when it is not (the caller answers 404). */
export async function handleChatData(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
  rest: string,
): Promise<boolean> {
  if (rest === '/chats') {
    if (method !== 'GET') return false;
    chatsPage(ctx, res, url);
    return true;
  }
  if (rest === '/agents' && method === 'GET') {
    sendJson(res, 200, ctx.state.agents.map(agentJson));
    return true;
  }
  const agent = /^\/agents\/(\d+)$/.exec(rest);
  if (agent && method === 'GET') {
    const found = ctx.state.agents.find((a) => a.id === Number(agent[1]));
    if (found) sendJson(res, 200, agentJson(found));
    else sendJson(res, 404, { error: 'Not Found' });
    return true;
  }
  if (rest === '/departments') {
    if (method === 'GET') {
      sendJson(res, 200, departments(ctx.state).list);
      return true;
    }
    if (method === 'POST') {
      await createDepartment(ctx, req, res);
      return true;
    }
    return false;
  }
  const dept = /^\/departments\/(\d+)$/.exec(rest);
  if (dept && method === 'GET') {
    const found = departments(ctx.state).list.find((d) => d.id === Number(dept[1]));
    if (found) sendJson(res, 200, found);
    else sendJson(res, 404, { error: 'Not Found' });
    return true;
  }
  return false;
}

function chatsPage(ctx: RouteContext, res: ServerResponse, url: URL): void {
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? MAX_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > MAX_LIMIT) {
    sendJson(res, 400, { error: 'Bad Request', description: `limit must be between 1 and ${MAX_LIMIT}.` });
    return;
  }
  const cursor = url.searchParams.get('cursor');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  if (offset === undefined) {
    sendJson(res, 400, { error: 'Bad Request', description: 'The cursor is not valid.' });
    return;
  }
  const chats = allChats(ctx);
  const page = chats.slice(offset, offset + limit);
  const next = offset + limit < chats.length ? offset + limit : undefined;
  const nextUrl =
    next === undefined
      ? null
      : `${ctx.baseUrl}/api/v2/chat/chats?limit=${limit}&cursor=${encodeCursor(next)}`;
  sendJson(res, 200, { chats: page, count: page.length, next_url: nextUrl });
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^offset:(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function agentJson(a: SandboxState['agents'][number]) {
  const [first, ...last] = a.name.split(' ');
  return {
    id: a.id,
    email: a.email,
    display_name: a.name,
    first_name: first ?? '',
    last_name: last.join(' '),
    enabled: true,
    role_id: a.role === 'owner' ? 1 : 2,
    roles: { administrator: a.role === 'owner', owner: a.role === 'owner' },
    departments: [],
    create_date: '2024-01-01T00:00:00Z',
  };
}

/** POST /departments: a JSON object with a non-empty `name`; `enabled` (boolean) and `members` optional. */
async function createDepartment(ctx: RouteContext, req: IncomingMessage, res: ServerResponse) {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendJson(res, 400, { error: 'Bad Request', description: 'The body must be a JSON object.' });
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields.name !== 'string' || fields.name.trim() === '') {
    return sendJson(res, 400, { error: 'Bad Request', description: 'name is required.' });
  }
  if ('enabled' in fields && typeof fields.enabled !== 'boolean') {
    return sendJson(res, 400, { error: 'Bad Request', description: 'enabled must be true or false.' });
  }
  const members = fields.members ?? [];
  if (!Array.isArray(members) || !members.every((m) => typeof m === 'number')) {
    return sendJson(res, 400, { error: 'Bad Request', description: 'members must be a list of agent IDs.' });
  }
  const store = departments(ctx.state);
  const created: Department = {
    ...department(store.nextId++, fields.name.trim(), '', members as number[]),
    description: typeof fields.description === 'string' ? fields.description : '',
    enabled: fields.enabled !== false,
  };
  store.list.push(created);
  sendJson(res, 201, created);
}

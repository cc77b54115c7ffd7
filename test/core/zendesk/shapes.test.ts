/**
 * The clients and tokens the API sends are read by hand-written rules (shapes.ts) that replaced zod schemas,
 * so the dashboard does not load zod before it can list the clients. The zod schemas are kept here as the
 * reference: for any JSON a server could send, both read the same record (same fields, values and order).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseClient, parseTokenInfo } from '../../../source/core/zendesk/shapes.js';

const text = z.string().optional().catch(undefined);
const nullableText = z.string().nullable().optional().catch(undefined);
const nullableNumber = z.number().nullable().optional().catch(undefined);
const redirectUris = z
  .unknown()
  .optional()
  .transform((value): string[] =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string' && v.length > 0)
      : typeof value === 'string'
        ? value.split(/\s+/).filter(Boolean)
        : [],
  );
const scopes = z
  .unknown()
  .optional()
  .transform((value): string =>
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string').join(' ')
        : '',
  );
const name = z.union([z.string(), z.number().transform(String)]).catch('');
const zodClient = z.looseObject({
  id: z.number(),
  name,
  company: nullableText,
  redirect_uris: redirectUris,
  client_identifier: z.string().catch(''),
  client_secret: nullableText,
  client_type: z.enum(['public', 'confidential']).catch('public'),
  scopes,
  agent_id: nullableNumber,
  create_date: text,
  update_date: text,
});
const zodToken = z.looseObject({
  id: z.number(),
  client_identifier: text,
  client_id: z.number().optional().catch(undefined),
  scopes,
  create_date: text,
  expire_date: nullableText,
  agent_id: nullableNumber,
});
function viaZod(schema: z.ZodType, raw: unknown): unknown {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return undefined;
  return Object.fromEntries(Object.entries(parsed.data as object).filter(([, v]) => v !== undefined));
}

/** Records as a server might send them: the known fields, of any JSON type or missing, among others. */
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('public', 'confidential', 'read write', 'https://a.test/cb  https://b.test/cb', ''),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(''))),
);
const record = (keys: string[]) =>
  fc
    .tuple(
      fc.dictionary(fc.constantFrom(...keys, 'id'), fieldValue),
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
      fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)),
    )
    .map(([known, extra, id]) => {
      const raw: Record<string, unknown> = { ...extra, ...known };
      if (id !== undefined) raw.id = id;
      return raw;
    });
const clientKeys = Object.keys(zodClient.shape);
const tokenKeys = Object.keys(zodToken.shape);

describe('API shapes read as the zod schemas read them', () => {
  test('clients', () => {
    fc.assert(
      fc.property(fc.oneof(record(clientKeys), fc.jsonValue()), (raw) => {
        const ours = parseClient(raw);
        const reference = viaZod(zodClient, raw);
        expect(ours).toEqual(reference);
        expect(Object.keys(ours ?? {})).toEqual(Object.keys(reference ?? {}));
      }),
      { numRuns: 3000 },
    );
  });

  test('tokens', () => {
    fc.assert(
      fc.property(fc.oneof(record(tokenKeys), fc.jsonValue()), (raw) => {
        const ours = parseTokenInfo(raw);
        const reference = viaZod(zodToken, raw);
        expect(ours).toEqual(reference);
        expect(Object.keys(ours ?? {})).toEqual(Object.keys(reference ?? {}));
      }),
      { numRuns: 3000 },
    );
  });

  test('JSON with a "__proto__" key: kept out, as zod kept it out, and no prototype set', () => {
    const raw = JSON.parse('{"id": 3, "__proto__": {"polluted": true}, "name": 7}');
    expect(parseClient(raw)).toEqual(viaZod(zodClient, raw));
    expect(Object.getPrototypeOf(parseClient(raw))).toBe(Object.prototype);
    expect((parseClient(raw) as unknown as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

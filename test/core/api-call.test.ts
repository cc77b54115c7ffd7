/** Where a PATH points, and how fields become a body or a query. */
import { describe, expect, test } from 'vitest';
import {
  addQuery,
  fieldsToBody,
  isTokenEndpoint,
  nextPageUrl,
  resolveApiUrl,
} from '../../source/core/api-call.js';

describe('resolveApiUrl', () => {
  test.each([
    ['chats', 'https://acme.zendesk.com/api/v2/chat/chats'],
    ['/chats', 'https://acme.zendesk.com/api/v2/chat/chats'],
    ['oauth/clients/42', 'https://acme.zendesk.com/api/v2/chat/oauth/clients/42'],
    ['/api/v2/chat/chats?limit=2', 'https://acme.zendesk.com/api/v2/chat/chats?limit=2'],
    ['/oauth2/chat/token', 'https://acme.zendesk.com/oauth2/chat/token'],
    ['https://acme.zendesk.com/api/v2/chat/account', 'https://acme.zendesk.com/api/v2/chat/account'],
  ])('%s → %s', (given, url) => {
    expect(resolveApiUrl('https://acme.zendesk.com', given).href).toBe(url);
  });

  test.each([
    ['https://evil.example/api/v2/chat/chats'],
    ['http://acme.zendesk.com/api/v2/chat/chats'],
    ['https://acme.zendesk.com:8443/api'],
    ['//evil.example/x'],
    ['https://acme.zendesk.com.evil.example/'],
  ])('%s is refused', (given) => {
    expect(() => resolveApiUrl('https://acme.zendesk.com', given)).toThrow(/not on the profile's origin/);
  });

  test('a base URL with a path prefix keeps it', () => {
    expect(resolveApiUrl('http://127.0.0.1:4010/zd', 'chats').href).toBe(
      'http://127.0.0.1:4010/zd/api/v2/chat/chats',
    );
  });
});

describe('fields', () => {
  test('nesting and lists', () => {
    expect(
      fieldsToBody([
        ['name', 'Billing'],
        ['settings[chat_enabled]', true],
        ['members[]', 1],
        ['members[]', 2],
        ['rules[][field]', 'a'],
        ['rules[][value]', 1],
        ['rules[][field]', 'b'],
        ['none', null],
      ]),
    ).toEqual({
      name: 'Billing',
      settings: { chat_enabled: true },
      members: [1, 2],
      rules: [{ field: 'a', value: 1 }, { field: 'b' }],
      none: null,
    });
  });

  test.each([
    [
      [
        ['a', 1],
        ['a', 2],
      ],
    ],
    [
      [
        ['a', 1],
        ['a[b]', 2],
      ],
    ],
    [
      [
        ['a[]', 1],
        ['a[b]', 2],
      ],
    ],
    [[['[x]', 1]]],
    [[['a[', 1]]],
  ] as [string, number][][][])('%j is refused', (fields) => {
    expect(() => fieldsToBody(fields)).toThrow();
  });

  test('the query keeps order and encodes', () => {
    expect(
      addQuery(new URL('https://a.test/x?limit=1'), [
        ['q', 'a b&c'],
        ['n', null],
      ]).search,
    ).toBe('?limit=1&q=a+b%26c&n=');
  });
});

describe('isTokenEndpoint and nextPageUrl', () => {
  test('the token endpoint, with or without a trailing slash', () => {
    expect(isTokenEndpoint(new URL('https://a.test/oauth2/chat/token/'))).toBe(true);
    expect(isTokenEndpoint(new URL('https://a.test/api/v2/chat/chats'))).toBe(false);
  });

  test('next_url: followed on the origin, refused elsewhere, none on the last page', () => {
    const origin = 'https://acme.zendesk.com';
    expect(nextPageUrl({ next_url: `${origin}/api/v2/chat/chats?cursor=x` }, origin)?.href).toBe(
      `${origin}/api/v2/chat/chats?cursor=x`,
    );
    expect(nextPageUrl({ next_url: null }, origin)).toBeUndefined();
    expect(nextPageUrl([1, 2], origin)).toBeUndefined();
    expect(() => nextPageUrl({ next_url: 'https://evil.example/p2' }, origin)).toThrow(/not followed/);
  });
});

import { describe, expect, it } from 'vitest';
import { selectedRowPattern } from './row-pattern.js';

describe('selectedRowPattern', () => {
  const names = ['bench-login', 'profile-00000*', 'profile-00001', 'profile-00002'];

  it('finds a selected row whose first cell the column cut short', () => {
    const pattern = selectedRowPattern('profile-00000*', names);
    // As a 120-column dashboard draws it: a 13-column PROFILE.
    expect(pattern.test('│ › profile-0000… #200000001 yC…bXSK    untested')).toBe(true);
    expect(pattern.test('│ › profile-00000… #200000001')).toBe(true);
    expect(pattern.test('│ › profile-00000* #200000001')).toBe(true);
  });

  it('does not take a neighbour that starts the same way for the row', () => {
    const pattern = selectedRowPattern('profile-00001', names);
    // profile-00000* cut short: the same text whatever profile-00001 would be.
    expect(pattern.test('│ › profile-0000… #1')).toBe(false);
    expect(pattern.test('│   profile-00001 #1\n│ › profile-00002 #2')).toBe(false);
    expect(pattern.test('│ › profile-00001 #1')).toBe(true);
  });

  it('cuts a unique name as far as it stays unique', () => {
    const pattern = selectedRowPattern('bench-login', names);
    expect(pattern.test('› bench-l…')).toBe(true);
  });
});

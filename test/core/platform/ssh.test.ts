import { describe, expect, it } from 'vitest';
import { portForwardHint, sshInfo } from '../../../source/core/platform/ssh.js';

describe('sshInfo', () => {
  it('is not SSH without the SSH variables', () => {
    expect(sshInfo({ USER: 'ann', DISPLAY: ':0' })).toEqual({ isSsh: false });
  });

  it('reads the server address and a non-default port from SSH_CONNECTION', () => {
    expect(sshInfo({ SSH_CONNECTION: '203.0.113.9 51234 198.51.100.7 2222', USER: 'ann' })).toEqual({
      isSsh: true,
      host: '198.51.100.7',
      sshPort: 2222,
      user: 'ann',
    });
    expect(sshInfo({ SSH_CONNECTION: '203.0.113.9 51234 198.51.100.7 22', LOGNAME: 'bob' })).toEqual({
      isSsh: true,
      host: '198.51.100.7',
      user: 'bob',
    });
  });

  it('knows an SSH session from SSH_TTY or SSH_CLIENT alone, without a host', () => {
    expect(sshInfo({ SSH_TTY: '/dev/pts/3' })).toEqual({ isSsh: true });
    expect(sshInfo({ SSH_CLIENT: '203.0.113.9 51234 22' })).toEqual({ isSsh: true });
    expect(sshInfo({ SSH_TTY: '  ' })).toEqual({ isSsh: false });
  });
});

describe('portForwardHint', () => {
  it('uses the real port, the user and the host when knowable', () => {
    expect(portForwardHint(8080, { SSH_CONNECTION: '10.0.0.2 5000 10.0.0.5 22', USER: 'ann' })).toBe(
      'ssh -L 8080:localhost:8080 ann@10.0.0.5',
    );
    expect(portForwardHint(43123, { SSH_CONNECTION: '10.0.0.2 5000 10.0.0.5 2200', USER: 'ann' })).toBe(
      'ssh -L 43123:localhost:43123 -p 2200 ann@10.0.0.5',
    );
  });

  it('falls back to placeholders when it cannot know', () => {
    expect(portForwardHint(8080, {})).toBe('ssh -L 8080:localhost:8080 user@host');
  });
});

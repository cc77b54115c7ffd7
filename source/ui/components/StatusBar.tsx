import { Box } from 'ink';
import { memo } from 'react';
import type { ProfileView } from '../../core/store/types.js';
import { ago, formatAge, testLabels } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

export interface StatusBarProps {
  profile: ProfileView | undefined;
  sandbox: boolean;
  /** Shown instead of the key hints while typing a filter. */
  filter?: string;
}

/** The profile in use, its token's age and last test; its own clock, so ageing re-renders only this line. */
export const StatusBar = memo(function StatusBar({ profile, sandbox, filter }: StatusBarProps) {
  const theme = useTheme();
  const now = useNow(30_000);
  const parts: string[] = [];
  if (profile) {
    parts.push(`profile ${profile.name}`);
    parts.push(profile.token ? `token ${formatAge(profile.token.obtainedAt, now)} old` : 'no token');
    if (profile.lastTest) {
      parts.push(`last test ${testLabels[profile.lastTest.result]} ${ago(profile.lastTest.at, now)}`);
    } else if (profile.token) {
      parts.push('not tested');
    }
  } else {
    parts.push('no profile');
  }
  const hints = filter !== undefined ? `filter: ${filter}▏ enter keeps · esc clears` : '? help · q quit';
  return (
    <Box width="100%">
      <Box flexGrow={1} flexShrink={1}>
        <Text inverse wrap="truncate-end">
          {sandbox ? ' SANDBOX ·' : ''} {parts.join(' · ')}{' '}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text color={theme.accent} bold={theme.noColor}>
          {hints}
        </Text>
      </Box>
    </Box>
  );
});

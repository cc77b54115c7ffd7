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
  /** The keys of what has the focus, most useful first (see paneKeys). */
  keys?: readonly string[];
  /** How many of `keys` must show whatever the width (a question's answers). */
  required?: number;
  columns?: number;
}

const TAIL = ['? help', 'q quit'];

/**
 * The hints that fit `width`: the pane's keys from the most useful; the first `required` of them go only
 * after "q quit"; "? help" always stays.
 */
export function fitHints(keys: readonly string[], width: number, required = 1): string {
  const list = [...keys];
  const tail = [...TAIL];
  const text = () => [...list, ...tail].join(' · ');
  while (text().length > width && list.length > required) list.pop();
  while (text().length > width && tail.length > 1) tail.pop();
  while (text().length > width && list.length > 0) list.pop();
  return text();
}

export const StatusBar = memo(function StatusBar({
  profile,
  sandbox,
  filter,
  keys = [],
  required = 1,
  columns = 80,
}: StatusBarProps) {
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
  // The keys come first on a narrow screen: the profile line gives way to its name (the rest is in the
  // details pane).
  const about =
    columns < 60
      ? ` ${parts[0]?.replace(/^profile /, '') ?? ''} `
      : `${sandbox ? ' SANDBOX ·' : ''} ${parts.join(' · ')} `;
  const room = Math.max(columns - about.length - 2, Math.min(columns - 18, 30));
  const hints =
    filter !== undefined ? `filter: ${filter}▏ enter keeps · esc clears` : fitHints(keys, room, required);
  return (
    <Box width="100%">
      <Box flexGrow={1} flexShrink={1}>
        <Text inverse wrap="truncate-end">
          {about}
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

import { memo } from 'react';
import type { Activity } from '../hooks/use-dashboard-state.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';
import { Spinner } from './Spinner.js';

/** Progress while an action runs, then its result, which stays until the next action. */
export const ActivityLine = memo(function ActivityLine({ activity }: { activity: Activity }) {
  const theme = useTheme();
  if (!activity) return <Text> </Text>;
  if (activity.kind === 'busy') return <Spinner label={activity.text} />;
  const color = { ok: theme.ok, error: theme.error, warn: theme.warn, info: undefined }[activity.kind];
  const mark = { ok: '✓', error: '✗', warn: '!', info: '·' }[activity.kind];
  return (
    <Text color={color} wrap="wrap">
      {mark} {activity.text}
    </Text>
  );
});

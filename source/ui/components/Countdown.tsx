import { memo } from 'react';
import { formatClock } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

/** Time left until `deadline`; ticks on its own so the rest of the panel does not re-render each second. */
export const Countdown = memo(function Countdown({
  deadline,
  active,
}: {
  deadline: number;
  active: boolean;
}) {
  const theme = useTheme();
  const now = useNow(1000, active);
  const left = deadline - now;
  return (
    <Text color={left < 30_000 ? theme.warn : undefined} dimColor={!active}>
      {formatClock(left)} left
    </Text>
  );
});

import { memo, useEffect, useState } from 'react';
import { Text } from '../safe-text.js';
import { useTheme } from '../theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Its own state and timer: ticking re-renders this component only, never the lists around it. */
export const Spinner = memo(function Spinner({ label }: { label?: string }) {
  const theme = useTheme();
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text>
      <Text color={theme.accent}>{FRAMES[frame]}</Text>
      {label ? ` ${label}` : ''}
    </Text>
  );
});

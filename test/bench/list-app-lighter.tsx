// The baseline for "key → frame" of the earlier rounds, kept as a figure without a target: a bare Ink app
// of the dashboard's layout but a lighter screen (16 + 14 rows, a details pane of two lines, a one-part
// status line; the list re-centred on the selection at each key). list-app.tsx draws the dashboard's
// screen itself and is the target's baseline.
import { Box, render, Text } from 'ink';
import { memo } from 'react';
import { useSelection } from './use-selection.js';

const count = Number(process.argv[2] ?? 1000);
const tokens = Array.from({ length: count }, (_, i) => ({
  key: `t${i}`,
  text: `profile-${String(i).padStart(5, '0')}  demo  client_credentials  read write  hat_…${String(i).padStart(4, '0')}`,
}));
const clients = Array.from({ length: count }, (_, i) => ({
  key: `c${i}`,
  text: `Client ${i}  confidential  read write  zchat_client_${String(i).padStart(4, '0')}`,
}));

const Row = memo(function Row({ text, selected }: { text: string; selected: boolean }) {
  return (
    <Text inverse={selected} wrap="truncate-end">
      {selected ? '› ' : '  '}
      {text}
    </Text>
  );
});

function List({ items, selected, height }: { items: typeof tokens; selected: number; height: number }) {
  const start = Math.max(0, Math.min(selected - Math.floor(height / 2), items.length - height));
  return (
    <Box flexDirection="column" height={height + 1}>
      {items.slice(start, start + height).map((item, i) => (
        <Row key={item.key} text={item.text} selected={start + i === selected} />
      ))}
      <Text dimColor>
        {selected + 1} of {items.length}
      </Text>
    </Box>
  );
}

function Pane({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} flexShrink={0}>
      <Text bold>{` ${title} `}</Text>
      {children}
    </Box>
  );
}

function App() {
  const selected = useSelection(count);
  const item = tokens[selected];
  return (
    <Box flexDirection="column" width={120} height={40}>
      <Box>
        <Box flexDirection="column" width={70}>
          <Pane title={`Tokens ${count}`}>
            <List items={tokens} selected={selected} height={16} />
          </Pane>
          <Pane title={`Clients ${count}`}>
            <List items={clients} selected={0} height={14} />
          </Pane>
        </Box>
        <Box flexDirection="column" borderStyle="round" paddingX={1} width={50}>
          <Text bold> Details </Text>
          <Text wrap="truncate-end">{item?.text}</Text>
          <Text>GET /api/v2/chat/oauth/tokens 200</Text>
        </Box>
      </Box>
      <Text inverse>{' j/k move  tab pane  / filter  t test  r refresh  q quit '}</Text>
    </Box>
  );
}

render(<App />);
// Stays up until the bench kills it.
setTimeout(() => process.exit(0), 120_000);

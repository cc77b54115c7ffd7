// The baseline for "key → frame": a bare Ink app drawing the dashboard's screen at 120 x 40 with 1,000
// rows a list (by default): the title line; two bordered panes side by side, each a title, a header line,
// 18 rows (the name, columns, a coloured state; the selected row bold, inverse while focused) and a
// position line; a bordered details pane of eight labelled lines about the selected row; a two-row
// activity area; a status bar (the selected row on inverse, the key hints in colour). j/k move the
// selection in the first list, scrolling it as little as possible. Bundled and started the same way as the
// CLI. What the dashboard adds on top of this (its state, hooks, terminal-safe text, store views) is its
// own cost.
import { Box, render, Text } from 'ink';
import { memo, type ReactNode, useRef } from 'react';
import { useSelection } from './use-selection.js';

const count = Number(process.argv[2] ?? 1000);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const cell = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
const tokens = Array.from({ length: count }, (_, i) => ({
  key: `t${i}`,
  name: `profile-${pad(i, 5)}`,
  main: `${cell(`profile-${pad(i, 5)}`, 13)} ${cell(`#${200000001 + i}`, 10)} ${cell(`x${i % 10}…${pad(i, 4)}`, 10)}`,
  state: 'untested',
}));
const clients = Array.from({ length: count }, (_, i) => ({
  key: `c${i}`,
  main: `${cell(`Client ${i}`, 21)} ${cell('public', 12)}`,
  state: `zchat_client_${pad(i, 4)}`,
}));
type Item = { key: string; main: string; state: string };

const Row = memo(function Row({
  item,
  selected,
  focused,
}: {
  item: Item;
  selected: boolean;
  focused: boolean;
}) {
  return (
    <Text wrap="truncate-end" inverse={selected && focused} bold={selected}>
      {selected ? '› ' : '  '}
      {item.main} <Text {...(selected && focused ? {} : { color: 'gray' })}>{item.state}</Text>
    </Text>
  );
});

function List({
  items,
  selected,
  height,
  focused,
}: {
  items: Item[];
  selected: number;
  height: number;
  focused: boolean;
}) {
  const startRef = useRef(0);
  let start = startRef.current;
  if (selected < start) start = selected;
  if (selected >= start + height) start = selected - height + 1;
  startRef.current = start;
  return (
    <Box flexDirection="column" height={height + 1}>
      {items.slice(start, start + height).map((item, i) => (
        <Row key={item.key} item={item} selected={start + i === selected} focused={focused} />
      ))}
      <Text dimColor>
        {start + 1}–{start + height} of {items.length}
      </Text>
    </Box>
  );
}

function Pane({
  title,
  focused,
  width,
  height,
  children,
}: {
  title: string;
  focused: boolean;
  width: number;
  height: number;
  children: ReactNode;
}) {
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={focused ? 'cyan' : 'gray'}
      paddingX={1}
      width={width}
      height={height}
      flexShrink={0}
    >
      <Box height={1}>
        <Text bold inverse={focused} wrap="truncate-end">{` ${title} `}</Text>
      </Box>
      {children}
    </Box>
  );
}

function Line({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <Box flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>{label.padEnd(11)}</Text>
        <Text {...(tone ? { color: tone } : {})}>{value}</Text>
      </Text>
    </Box>
  );
}

function App() {
  const selected = useSelection(count);
  const item = tokens[selected]!;
  return (
    <Box flexDirection="column" width={120}>
      <Text bold wrap="truncate-end">
        bare-ink <Text dimColor>a list app of the dashboard's screen</Text>
      </Text>
      <Box flexDirection="column" height={35} overflowY="hidden">
        <Box>
          <Pane title={`Tokens ${count} stored · ${count} on server`} focused width={60} height={23}>
            <Text
              dimColor
              wrap="truncate-end"
            >{`  ${cell('PROFILE', 13)} ${cell('SERVER', 10)} ${cell('TOKEN', 10)} STATE`}</Text>
            <List items={tokens} selected={selected} height={18} focused />
          </Pane>
          <Pane title={`Clients ${count}`} focused={false} width={60} height={23}>
            <Text dimColor wrap="truncate-end">{`  ${cell('NAME', 21)} ${cell('TYPE', 12)} CLIENT ID`}</Text>
            <List items={clients} selected={0} height={18} focused={false} />
          </Pane>
        </Box>
        <Pane title="Details" focused={false} width={120} height={12}>
          <Box flexDirection="column" height={9} overflowY="hidden">
            <Line
              label="Profile"
              value={`${item.name} · client-credentials flow · subdomain demo · http://127.0.0.1`}
            />
            <Line
              label="Token"
              value={`${item.main.slice(25, 35).trim()}  (v reveals) · Bearer · scope read write · no refresh token stored`}
            />
            <Line label="Last test" value="never: press t" tone="gray" />
            <Line label="Request" value="none yet" tone="gray" />
            <Line
              label="Age"
              value={`just now (client_credentials) · no expiry given · server #${200000001 + selected}`}
            />
            <Line label="Client" value="NPIKMoVuQTRCdRFgpn9YnC47IATVU09WzMYbfTMniduHdsY3E7 · secret stored" />
            <Line label="Secrets" value="config file" />
          </Box>
        </Pane>
      </Box>
      <Box height={2} />
      <Box width="100%">
        <Box flexGrow={1} flexShrink={1}>
          <Text
            inverse
            wrap="truncate-end"
          >{` profile ${item.name} · token just now old · not tested `}</Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          <Text color="cyan">t test · r refresh · x revoke · u via · ? help · q quit</Text>
        </Box>
      </Box>
    </Box>
  );
}

render(<App />);
// Stays up until the bench kills it.
setTimeout(() => process.exit(0), 120_000);

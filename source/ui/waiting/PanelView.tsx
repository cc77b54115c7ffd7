import { Box } from 'ink';
import type { SeenRequest } from '../../core/oauth/types.js';
import { Countdown } from '../components/Countdown.js';
import { LongUrl } from '../components/LongUrl.js';
import { Spinner } from '../components/Spinner.js';
import { TextField } from '../components/TextField.js';
import { Text } from '../safe-text.js';
import { type Theme, useTheme } from '../theme.js';
import type { Line, PanelLines, Part, Tone } from './panel-lines.js';

export interface PanelViewProps {
  lines: PanelLines;
  hyperlink: boolean;
  sandbox: boolean;
  /** When the wait ends (Date.now() time), for the countdown. */
  deadline: number;
  onDraft?(value: string): void;
  onSubmit?(value: string): void;
}

const colour = (theme: Theme, tone: Tone | undefined) => (tone ? theme[tone] : undefined);

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** Time, verdict and status first: a long path is what gets cut, never the verdict. */
function RequestLine({ r }: { r: SeenRequest }) {
  const theme = useTheme();
  const color = r.verdict === 'accepted' ? theme.ok : r.verdict === 'rejected' ? theme.error : undefined;
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{clock(r.at)} </Text>
      <Text color={color} dimColor={r.verdict === 'ignored'}>
        {r.verdict.padEnd(8)}
      </Text>{' '}
      {r.status} {r.method} {r.path}
      {r.reason ? <Text dimColor> ({r.reason})</Text> : null}
    </Text>
  );
}

function PartText({ part }: { part: Part }) {
  const theme = useTheme();
  // Through the safe Text: a server's words may hold control characters.
  if (typeof part === 'string') return <Text>{part}</Text>;
  return (
    <Text bold={part.bold ?? false} dimColor={part.dim ?? false} color={colour(theme, part.tone)}>
      {part.text}
    </Text>
  );
}

function LineView({ line, props }: { line: Line; props: PanelViewProps }) {
  const theme = useTheme();
  switch (line.kind) {
    case 'url':
      return <LongUrl url={line.url} color={theme.accent} hyperlink={props.hyperlink} />;
    case 'spinner':
      return <Spinner label={line.label} />;
    case 'request':
      return <RequestLine r={line.request} />;
    case 'field':
      return (
        <TextField masked onChange={props.onDraft ?? (() => {})} onSubmit={props.onSubmit ?? (() => {})} />
      );
    case 'text':
      return (
        <Text
          color={colour(theme, line.tone)}
          bold={line.bold ?? false}
          dimColor={line.dim ?? false}
          wrap={line.truncate ? 'truncate-end' : 'wrap'}
        >
          {line.parts.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of parts
            <PartText key={i} part={p} />
          ))}
        </Text>
      );
  }
}

/** Renders exactly the lines `panelLines` measured, in its order, with its margins. */
export function PanelView(props: PanelViewProps) {
  const { lines } = props;
  return (
    <Box flexDirection="column" flexGrow={1}>
      {/* Clipped at its end if ever taller than the screen; the keys below always show. */}
      <Box flexDirection="column" flexShrink={1} overflow="hidden">
        <Box flexShrink={0} height={1}>
          <Box flexGrow={1} flexShrink={1}>
            <Text bold wrap="truncate-end">
              {lines.title}
              {props.sandbox ? <Text dimColor> (sandbox)</Text> : null}
            </Text>
          </Box>
          {lines.countdown ? (
            <Box flexShrink={0} marginLeft={1}>
              <Countdown deadline={props.deadline} active />
            </Box>
          ) : null}
        </Box>
        {lines.blocks.map((b) => (
          <Box key={b.id} flexDirection="column" flexShrink={0} marginTop={b.marginTop}>
            {b.lines.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a block are rebuilt each frame
              <Box key={i} flexShrink={0}>
                <LineView line={l} props={props} />
              </Box>
            ))}
          </Box>
        ))}
      </Box>
      <Box flexGrow={1} />
      <Box flexShrink={0} marginTop={lines.footerMargin}>
        <LineView line={lines.footer} props={props} />
      </Box>
    </Box>
  );
}

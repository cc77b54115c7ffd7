// The baseline for "dashboard first frame": a bare Ink app, bundled and started the same way as the CLI.
import { render, Text } from 'ink';

render(<Text>hello</Text>);
// Stays up until the bench kills it (after its first frame, or after reading its resident memory).
setTimeout(() => process.exit(0), 30_000);

// The baseline for "dashboard first frame": a bare Ink app, bundled and started the same way as the CLI.
import { render, Text } from 'ink';

render(<Text>hello</Text>);
setTimeout(() => process.exit(0), 200);

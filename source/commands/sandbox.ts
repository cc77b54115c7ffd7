/** `zchat-auth sandbox [--port N]`: the Zendesk Chat emulator in the foreground, until Ctrl+C. */
import { integerValue, stringValue } from './args.js';
import { type Command, line } from './command.js';

export interface SandboxOptions {
  port: number;
}

const help = `Usage: zchat-auth sandbox [--port N]

Runs the built-in Zendesk Chat emulator on 127.0.0.1 in the foreground and prints its URL, the demo
subdomain, client, secret and a ready login line (these are the emulator's own throwaway values). Each
request is logged as method, path and status. Ctrl+C stops it (exit 130); SIGTERM stops it with exit 0.

Options
  --port N    the port to listen on (default: a free one)

Example
  zchat-auth sandbox --port 4010
`;

export const command: Command<SandboxOptions> = {
  help,
  options: { port: { type: 'string' } },
  maxPositionals: 0,
  handlesInterrupt: true,
  build({ values }) {
    const raw = stringValue(values, 'port');
    return { port: raw === undefined ? 0 : integerValue(raw, '--port', 0, 65535) };
  },
  async run(options, io) {
    const [{ startSandbox }, { sandboxBanner }] = await Promise.all([
      import('../sandbox/server.js'),
      import('../sandbox/banner.js'),
    ]);
    const sandbox = await startSandbox({ port: options.port });
    // Listening for the stop signals before the banner says "running", so a supervisor can stop it at once.
    const stopped = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => {
      io.signal.addEventListener('abort', () => resolve('SIGINT'), { once: true });
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    line(io.stdout, sandboxBanner(sandbox));
    line(io.stdout);
    line(io.stdout, 'Press Ctrl+C to stop.');
    const signal = await stopped;
    await sandbox.close();
    line(io.stderr, 'Sandbox stopped.');
    return signal === 'SIGINT' ? 130 : 0;
  },
};

// Runs a command in this terminal (the pty's session leader is this script, not the program under test),
// then reports on one line how it ended and the terminal's settings before and after, read with `stty`
// from the very same terminal. That is how the e2e tests see whether a program left raw mode behind.
import { execFileSync, spawn } from 'node:child_process';

const stty = (arg) =>
  execFileSync('stty', [arg], { stdio: ['inherit', 'pipe', 'pipe'] })
    .toString()
    .trim();

const before = stty('-g');
// Ctrl+C in cooked mode signals the whole foreground group: this reporter must live on to report.
process.on('SIGINT', () => {});
const [command, ...args] = process.argv.slice(2);
// libuv resets signal dispositions in the child, so the program sees Ctrl+C as a person's shell gives it.
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  const report = { code, signal, before, after: stty('-g'), settings: stty('-a') };
  process.stdout.write(`\r\n<<E2E-EXIT ${JSON.stringify(report)} E2E-EXIT>>\r\n`);
});

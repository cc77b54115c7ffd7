/** Another program holding a port: a child Node process listening on it (its name is `node`). */
import { type ChildProcess, spawn } from 'node:child_process';

export async function holdPort(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('ready'))`],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => resolve());
    child.once('exit', () => reject(new Error('the port holder exited')));
  });
  return child;
}

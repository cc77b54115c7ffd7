/**
 * `token` and `status --json` write stdout with fs.writeSync (source/direct-output.ts): through a pipe whose
 * reader is slow every byte still arrives, in order; a reader that leaves early ends the command quietly.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bin, cleanEnv, ensureBuilt, root, type TempDir, tempDir, writeManyProfiles } from './helpers.js';

const COUNT = 2000;
let tmp: TempDir;

beforeAll(async () => {
  ensureBuilt();
  tmp = await tempDir();
  writeManyProfiles(tmp.dir, COUNT, { digits: 5, flow: 'code' });
}, 60_000);
afterAll(async () => {
  await tmp.remove();
});

/** Runs the CLI with stdout a pipe that `read` drains as it likes; resolves once it has exited. */
function throughPipe(args: string[], read: (child: ReturnType<typeof spawn>, chunks: Buffer[]) => void) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: cleanEnv(tmp.dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  read(child, chunks);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString(), stderr }));
  });
}

describe('stdout a pipe', () => {
  test(`a reader that waits before reading gets all of \`status --json\` (${COUNT.toLocaleString('en')} profiles)`, async () => {
    const result = await throughPipe(['status', '--json'], (child, chunks) => {
      // The pipe fills (64 kB) long before the output ends: the command waits for the reader.
      child.stdout!.pause();
      setTimeout(() => {
        child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.stdout!.resume();
      }, 300);
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json.profiles).toHaveLength(COUNT);
    expect(json.profiles.map((p: { name: string }) => p.name)).toEqual(
      Array.from({ length: COUNT }, (_, i) => `p${String(i).padStart(5, '0')}`),
    );
  });

  test('a reader that leaves after the first piece: exit 0, nothing on stderr', async () => {
    const result = await throughPipe(['status', '--json'], (child, chunks) => {
      child.stdout!.once('data', (chunk: Buffer) => {
        chunks.push(chunk);
        child.stdout!.destroy();
      });
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('{"schemaVersion":1,')).toBe(true);
  });
});

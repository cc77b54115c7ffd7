/** Start-up figures: a whole process, spawn to exit, against a bare `node -e 0` in the same run. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const elapsed = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve(elapsed);
    });
  });
}

/** Interleaved samples of `node -e 0` and the candidate command. */
export async function startupSamples(
  runs: number,
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ baseline: number[]; candidate: number[] }> {
  const { samplePair } = await import('./stats.js');
  return samplePair(
    runs,
    3,
    () => timeProcess(['-e', '0'], env),
    () => timeProcess(args, env),
  );
}

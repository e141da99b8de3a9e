// The app built into a folder of its own and served by `vite preview` on a free port: for the
// benchmark scripts (run.ts, first-paint.ts, profile-paint.ts).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Returns a TCP port free on this machine now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, 'localhost', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Builds the app into a folder of its own (a `npm run build` elsewhere cannot swap the files
 * under the running page) and serves it with `vite preview` on a free port; unminified where
 * `minify` is false (a profile's function names readable). */
export async function startPreview({ minify = true } = {}): Promise<{
  url: string;
  stop: () => void;
}> {
  const outDir = mkdtempSync(join(tmpdir(), 'stevedore-bench-dist-'));
  const build = ['vite', 'build', '--outDir', outDir, ...(minify ? [] : ['--minify', 'false'])];
  execFileSync('npx', build, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const port = await freePort();
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort'],
    { cwd: root, stdio: 'ignore', detached: true },
  );
  // npx starts vite as a child: the whole process group goes at the end.
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(outDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`http://localhost:${port}/`);
      if (response.ok) return { url: `http://localhost:${port}/`, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('vite preview did not start');
}

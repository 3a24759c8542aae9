import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.join(__dirname, '../../..');

/** Builds the Nx project graph, which @nx/enforce-module-boundaries needs: without it the rule skips silently. */
export function buildProjectGraph(): number | null {
  return spawnSync(process.execPath, [path.join(root, 'node_modules/nx/bin/nx.js'), 'show', 'projects'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  }).status;
}

/** Lints `source` as if it were the file at `filePath`, through the workspace's own ESLint config. */
export function lintAs(filePath: string, source: string): { status: number | null; output: string } {
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath],
    { cwd: root, input: source, encoding: 'utf8' },
  );
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

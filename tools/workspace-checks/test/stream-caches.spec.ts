import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// docs/observability.md "Stream caches": every command handler's cache is reported in /metrics, so that one too
// small for its open streams shows. A workflow that makes a CommandHandler is registered on StreamCacheMetrics
// where its module makes it, `caches.registered(new Workflow(…))`, and names its handlers' caches in its
// `streamCaches()`.
const ROOT = path.resolve(__dirname, '../../..');

interface SourceFile {
  readonly file: string;
  readonly text: string;
}

function sourcesOf(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ file: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }));
}

/** The classes of an app that make a CommandHandler and that no module registers, as `file: Class`. */
function unreportedStreamCaches(sources: readonly SourceFile[]): string[] {
  const registrations = sources.map((s) => s.text).join('\n');
  return sources.flatMap(({ file, text }) => {
    const classes = [...text.matchAll(/export class (\w+)/g)];
    return classes
      .filter((c, i) => text.slice(c.index, classes[i + 1]?.index).includes('new CommandHandler('))
      .map(([, name]) => name!)
      .filter((name) => {
        const registered = new RegExp(String.raw`\.registered\(\s*new ${name}\(`);
        return !registered.test(registrations);
      })
      .map((name) => `${file}: ${name}`);
  });
}

describe('stream caches', () => {
  const apps = readdirSync(path.join(ROOT, 'apps'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  it.each(apps)("%s reports every command handler's cache", (app) => {
    const src = path.join(ROOT, 'apps', app, 'src');
    expect(unreportedStreamCaches(sourcesOf(src))).toEqual([]);
  });

  it('finds a workflow whose module makes it without registering its cache', () => {
    const workflow = {
      file: 'apps/probe/src/visit/probe-workflow.ts',
      text: 'export class ProbeWorkflow {\n  constructor(store) { this.h = new CommandHandler(store, d); }\n}\n',
    };
    const module = (factory: string) => ({ file: 'apps/probe/src/probe.module.ts', text: factory });
    expect(unreportedStreamCaches([workflow, module('useFactory: (s) => new ProbeWorkflow(s),')])).toEqual([
      'apps/probe/src/visit/probe-workflow.ts: ProbeWorkflow',
    ]);
    expect(unreportedStreamCaches([workflow, module('caches.registered(new ProbeWorkflow(s))')])).toEqual([]);
  });
});

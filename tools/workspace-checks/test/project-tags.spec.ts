import fs from 'node:fs';
import path from 'node:path';
import { root } from './lint-as';

// docs/service-anatomy.md: every Nx project carries one tag of each dimension — type:app | lib | tool and
// layer:core | runtime — since @nx/enforce-module-boundaries only constrains a project by the tags it has: one
// without a layer tag escapes the layer rule unnoticed (apps/catalogue came in without one).
const DIMENSIONS = { type: ['app', 'lib', 'tool'], layer: ['core', 'runtime'] } as const;

interface Project {
  readonly dir: string;
  readonly tags: readonly string[];
}

/** What is wrong with each project's tags: a dimension missing, given twice, or given a value it does not have. */
export function tagProblems(projects: readonly Project[]): string[] {
  return projects.flatMap(({ dir, tags }) =>
    Object.entries(DIMENSIONS).flatMap(([dimension, values]) => {
      const given = tags.filter((tag) => tag.startsWith(`${dimension}:`));
      if (given.length !== 1) return [`${dir}: ${given.length} ${dimension}: tags (one expected)`];
      const value = given[0]!.slice(dimension.length + 1);
      return (values as readonly string[]).includes(value) ? [] : [`${dir}: unknown tag ${given[0]}`];
    }),
  );
}

function workspaceProjects(): Project[] {
  return ['apps', 'libs', 'tools'].flatMap((group) =>
    fs
      .readdirSync(path.join(root, group))
      .map((name) => path.join(group, name))
      .filter((dir) => fs.existsSync(path.join(root, dir, 'project.json')))
      .map((dir) => ({
        dir,
        tags: JSON.parse(fs.readFileSync(path.join(root, dir, 'project.json'), 'utf8')).tags ?? [],
      })),
  );
}

describe("the projects' tags", () => {
  it('give every project one type and one layer', () => {
    const projects = workspaceProjects();
    expect(projects.length).toBeGreaterThan(20);
    expect(tagProblems(projects)).toEqual([]);
  });

  it('find a project without a layer, with two types, or with a value no dimension has', () => {
    expect(
      tagProblems([
        { dir: 'apps/probe', tags: ['type:app'] },
        { dir: 'libs/probe', tags: ['type:lib', 'type:tool', 'layer:core'] },
        { dir: 'tools/probe', tags: ['type:tool', 'layer:pure'] },
      ]),
    ).toEqual([
      'apps/probe: 0 layer: tags (one expected)',
      'libs/probe: 2 type: tags (one expected)',
      'tools/probe: unknown tag layer:pure',
    ]);
  });
});

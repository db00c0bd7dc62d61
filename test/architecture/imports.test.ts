import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every module under src and the modules of ours it imports at run time. `import type` is left out:
 * TypeScript erases it, so it cannot make modules load in a circle (the composition root's `Services`
 * type is named by the capabilities it wires, on purpose).
 */
function importGraph(root: string): Map<string, string[]> {
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => path.join(root, f));
  const graph = new Map<string, string[]>();
  const spec = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/g;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = [...text.matchAll(spec)].map((m) => (m[1].startsWith('.') ? path.resolve(path.dirname(file), m[1]).replace(/\.js$/, '.ts') : m[1]));
    graph.set(file, deps.filter((d) => !d.startsWith('/') || fs.existsSync(d)));
  }
  return graph;
}

/** Packages and folders of ours that speak to the database or over HTTP. */
const io = (dep: string) => /^(kysely|pg|pg-boss|fastify|@fastify\/|@electric-sql\/|fastify-type-provider-zod)/.test(dep) || /\/src\/(db|http|web)\//.test(dep);

/** The first module reached from `file` that speaks to the database or over HTTP, with the path to it. */
function firstIo(graph: Map<string, string[]>, file: string, seen = new Set<string>()): string[] | null {
  seen.add(file);
  for (const dep of graph.get(file) ?? []) {
    if (io(dep)) return [dep];
    if (!graph.has(dep) || seen.has(dep)) continue;
    const via = firstIo(graph, dep, seen);
    if (via) return [path.relative(process.cwd(), dep), ...via];
  }
  return null;
}

/** The domain logic: rules, state machines, matching, the chain. None of it may reach a database or HTTP. */
const domain = [
  /^src\/matching\/(?!cli-link)/,
  /^src\/signals\/(evaluators\/|alert\.ts|facts\.ts|hit\.ts|rules\.ts)/,
  /^src\/process\/(calendar|dates|deadlines|machine|rules|state)\.ts$/,
  /^src\/decisions\/(decision|disagreement)\.ts$/,
  /^src\/record\/(chain|kinds)\.ts$/,
  /^src\/people\/nhs-number\.ts$/,
];

/** Strongly connected components with more than one module (or a module importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.map((f) => path.relative(process.cwd(), f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('the architecture', () => {
  const graph = importGraph(path.resolve('src'));

  it('reads every module of src', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(graph.size);
    // A value import is an edge; a type-only one is not.
    expect(graph.get(path.resolve('src/app.ts'))).toContain(path.resolve('src/capabilities.ts'));
    expect(graph.get(path.resolve('src/capabilities.ts'))).not.toContain(path.resolve('src/app.ts'));
  });

  it('keeps the domain logic free of the database and HTTP', () => {
    const files = [...graph.keys()].map((f) => path.relative(process.cwd(), f)).filter((f) => domain.some((d) => d.test(f)));
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => [f, firstIo(graph, path.resolve(f))]).filter(([, via]) => via)).toEqual([]);
    // and would see it if one did
    expect(firstIo(graph, path.resolve('src/record/store.ts'))).not.toBeNull();
  });

  it('has no import cycles', () => {
    const ours = new Map([...graph].map(([f, deps]) => [f, deps.filter((d) => graph.has(d))]));
    expect(cycles(ours)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(cycles(new Map([[a, [b]], [b, [a]], ['/x/c.ts', [a]]])).length).toBe(1);
  });
});

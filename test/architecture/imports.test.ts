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
  const spec = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.{1,2}\/[^']+)'/g;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = [...text.matchAll(spec)].map((m) => path.resolve(path.dirname(file), m[1]).replace(/\.js$/, '.ts'));
    graph.set(file, deps.filter((d) => fs.existsSync(d)));
  }
  return graph;
}

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

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(cycles(new Map([[a, [b]], [b, [a]], ['/x/c.ts', [a]]])).length).toBe(1);
  });
});

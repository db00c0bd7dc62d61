/**
 * Records linked directly or through others are one person (single linkage). Links are taken strongest
 * first, as in Kruskal's algorithm; when a link joins two groups, every pair across them is linked with
 * that link's probability: the weakest link of the strongest chain between the two records.
 */
export interface Edge {
  left: number;
  right: number;
  probability: number;
}

export interface ClusterOptions {
  /** Which file each record came from; pairs within one file are not reported when linking two. */
  side?: (record: number) => number;
}

export function linkThroughOthers(records: number, edges: readonly Edge[], options: ClusterOptions = {}): Edge[] {
  const parent = Int32Array.from({ length: records }, (_, i) => i);
  const members: number[][] = Array.from({ length: records }, (_, i) => [i]);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const out: Edge[] = [];
  const sorted = [...edges].sort((a, b) => b.probability - a.probability);
  for (const e of sorted) {
    let a = root(e.left);
    let b = root(e.right);
    if (a === b) continue;
    if (members[a].length < members[b].length) [a, b] = [b, a];
    for (const x of members[a]) {
      for (const y of members[b]) {
        if (options.side && options.side(x) === options.side(y)) continue;
        out.push(x < y ? { left: x, right: y, probability: e.probability } : { left: y, right: x, probability: e.probability });
      }
    }
    parent[b] = a;
    members[a].push(...members[b]);
    members[b] = [];
  }
  return out;
}

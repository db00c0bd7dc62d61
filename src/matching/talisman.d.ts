// talisman ships no type declarations; these are the two modules the matcher uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, boost above 0.7, prefix of at most 4). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}
declare module 'talisman/metrics/damerau-levenshtein.js' {
  /** Damerau-Levenshtein distance (used only as the reference in the strings micro-benchmark). */
  const damerauLevenshtein: (a: string, b: string) => number;
  export default damerauLevenshtein;
}

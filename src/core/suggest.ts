// "Did you mean ...?": the one near-miss matcher behind every suggestion pinscope makes, in the scenario
// parser (statements, options, fields, errno names), for kernel presets and toggles, and for links.

/** Damerau (optimal string alignment) distance, so that a swapped pair ("longtrem") counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

/** The closest candidate within a few edits (case-insensitive), or undefined. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > 64) return undefined;
  const lower = word.toLowerCase();
  const letters = (w: string): string => [...w].sort().join('');
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const longer = Math.max(lower.length, candidate.length);
    // Never suggest a word that shares nothing with the one typed ("~" is not a typo of "<").
    const allowed = Math.min(longer - 1, Math.max(1, Math.round(longer / 3)));
    // Among equally close candidates prefer an anagram: "=<" is "<=" typed backwards, not "==".
    const score = distance * 2 + (letters(lower) === letters(candidate.toLowerCase()) ? 0 : 1);
    if (distance <= allowed && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` for the closest candidate, or '' when none is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = suggest(word, candidates);
  return guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
}

/**
 * level(x) (docs/scoring.md §4).
 */
import { atLeast } from './numeric-tolerance';
import type { MaturityLevelDef } from './types';

/**
 * The highest maturity level whose lowerBound ≤ x.
 *
 * @param levels the framework's levels, in any order
 * @returns the level definition, or null when x is null or below every bound
 */
export function levelOf(levels: readonly MaturityLevelDef[], x: number | null): MaturityLevelDef | null {
  if (x === null || Number.isNaN(x)) return null;
  let best: MaturityLevelDef | null = null;
  for (const level of levels) {
    if (atLeast(x, level.lowerBound) && (best === null || level.lowerBound > best.lowerBound)) best = level;
  }
  return best;
}

/**
 * Applies the knockout cap: min(level, capLevel) when capped, as a level definition.
 *
 * @returns the capped level (the framework's definition of that level number when it has one)
 */
export function capLevel(
  levels: readonly MaturityLevelDef[],
  level: MaturityLevelDef | null,
  cap: number,
  capped: boolean,
): MaturityLevelDef | null {
  if (level === null || !capped || level.level <= cap) return level;
  return levels.find((l) => l.level === cap) ?? { level: cap, code: `LEVEL_${cap}`, lowerBound: NaN };
}

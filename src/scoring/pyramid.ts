/**
 * The pyramid: gated scores, height and first weak layer (docs/scoring.md §5).
 */
import { capLevel, levelOf } from './maturity-level';
import { atLeast, below } from './numeric-tolerance';
import type { PyramidLayerResult, PyramidResult } from './result-types';
import type { MaturityLevelDef } from './types';

/** One layer as the pyramid needs it. */
export interface PyramidLayerInput {
  dimension: string;
  layer: number;
  /** D_k. */
  rawScore: number | null;
  /** The layer's dimension has a knocked-out question. */
  knockedOut: boolean;
}

/**
 * Gated scores G_k: G_1 = D_1; G_k = min(D_k, G_j + γ) with j the nearest layer below k
 * whose G_j is not null (G_k = D_k when there is none); G_k is null when D_k is null.
 *
 * @param rawScores D_k from the bottom layer up
 * @returns per layer the gated score and the position of the layer j that capped it (or -1)
 */
export function gateScores(
  rawScores: ReadonlyArray<number | null>,
  gateTolerance: number,
): Array<{ gated: number | null; cappedBy: number }> {
  const out: Array<{ gated: number | null; cappedBy: number }> = [];
  let below_ = -1;
  for (let k = 0; k < rawScores.length; k++) {
    const d = rawScores[k];
    if (d === null) {
      out.push({ gated: null, cappedBy: -1 });
      continue;
    }
    if (below_ < 0) {
      out.push({ gated: d, cappedBy: -1 });
    } else {
      const ceiling = (out[below_].gated as number) + gateTolerance;
      out.push(below(ceiling, d) ? { gated: ceiling, cappedBy: below_ } : { gated: d, cappedBy: -1 });
    }
    below_ = k;
  }
  return out;
}

/**
 * Height H: the number of consecutive layers from the bottom with D_k ≥ τ (a null layer
 * stops the count).
 */
export function pyramidHeight(rawScores: ReadonlyArray<number | null>, solidThreshold: number): number {
  let h = 0;
  while (h < rawScores.length) {
    const d = rawScores[h];
    if (d === null || !atLeast(d, solidThreshold)) break;
    h++;
  }
  return h;
}

/**
 * Builds the pyramid of a LAYERED group.
 *
 * @param group the LAYERED group's code
 * @param layers the group's dimensions, in any order (sorted here by layer)
 */
export function buildPyramid(
  group: string,
  layers: readonly PyramidLayerInput[],
  levels: readonly MaturityLevelDef[],
  settings: { gateTolerance: number; solidThreshold: number; knockoutCapLevel: number },
): PyramidResult {
  const sorted = [...layers].sort((a, b) => a.layer - b.layer);
  const raw = sorted.map((l) => l.rawScore);
  const gated = gateScores(raw, settings.gateTolerance);
  const height = pyramidHeight(raw, settings.solidThreshold);
  const result: PyramidLayerResult[] = sorted.map((l, k) => {
    const g = gated[k];
    const level = capLevel(levels, levelOf(levels, g.gated), settings.knockoutCapLevel, l.knockedOut);
    const capper = g.cappedBy >= 0 ? sorted[g.cappedBy] : null;
    return {
      dimension: l.dimension,
      layer: l.layer,
      rawScore: l.rawScore,
      gatedScore: g.gated,
      gatedLevel: level ? level.level : null,
      gatedLevelCode: level ? level.code : null,
      cappedByLayer: capper ? capper.layer : null,
      cappedByDimension: capper ? capper.dimension : null,
      solid: l.rawScore !== null && atLeast(l.rawScore, settings.solidThreshold),
    };
  });
  const weak = height < sorted.length ? sorted[height] : null;
  return {
    group,
    layers: result,
    height,
    firstWeakLayer: weak ? weak.layer : null,
    firstWeakDimension: weak ? weak.dimension : null,
  };
}

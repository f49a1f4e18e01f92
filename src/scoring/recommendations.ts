/**
 * Which recommendation templates fire, their priority, tier, evidence and order
 * (docs/scoring.md §6).
 */
import { EPSILON, below } from './numeric-tolerance';
import type { EvidenceItem, RecommendationResult, RecommendationTier, RecommendationTierName } from './result-types';
import type { DimensionDef, RecommendationTemplateDef } from './types';

/** Tier numbers and their names. */
export const TIER_NAMES: Readonly<Record<RecommendationTier, RecommendationTierName>> = Object.freeze({
  1: 'CRITICAL',
  2: 'FOUNDATION',
  3: 'IMPROVEMENT',
  4: 'DEFERRED',
});

/** What the recommendation step needs from the rest of the result. */
export interface RecommendationContext {
  templates: readonly RecommendationTemplateDef[];
  dimensions: readonly DimensionDef[];
  /** Per dimension code: D_d. */
  dimensionScore: ReadonlyMap<string, number | null>;
  /** Per dimension code: has a knocked-out linked question. */
  dimensionKnockedOut: ReadonlyMap<string, boolean>;
  /** Per question code: S_q. */
  questionScore: ReadonlyMap<string, number | null>;
  questionKnockedOut: ReadonlyMap<string, boolean>;
  /** Per dimension code: linked question codes and link weights, in questionnaire order. */
  dimensionLinks: ReadonlyMap<string, ReadonlyArray<{ question: string; weight: number }>>;
  /** Per LAYERED dimension code: its layer. */
  pyramidLayer: ReadonlyMap<string, number>;
  /** The first weak layer's number, or null. */
  firstWeakLayer: number | null;
  recommendationThreshold: number;
}

/** Ascending code order by UTF-16 code units: the same in every locale and runtime. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders fired recommendations: tier ascending, then priority descending (priorities
 * within 1e-9 tie), then code ascending.
 */
export function compareRecommendations(a: RecommendationResult, b: RecommendationResult): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (Math.abs(a.priority - b.priority) > EPSILON) return b.priority - a.priority;
  return compareCodes(a.code, b.code);
}

/**
 * Evidence of a dimension template: up to `limit` linked questions with S_q not null and a
 * positive shortfall w_qd · (100 − S_q), largest first, ties by question code.
 */
export function dimensionEvidence(
  links: ReadonlyArray<{ question: string; weight: number }>,
  questionScore: ReadonlyMap<string, number | null>,
  limit = 3,
): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  for (const link of links) {
    const s = questionScore.get(link.question);
    if (s === null || s === undefined) continue;
    const shortfall = link.weight * (100 - s);
    if (shortfall > EPSILON) items.push({ question: link.question, score: s, linkWeight: link.weight, shortfall });
  }
  items.sort((a, b) =>
    Math.abs(a.shortfall - b.shortfall) > EPSILON ? b.shortfall - a.shortfall : compareCodes(a.question, b.question),
  );
  return items.slice(0, limit);
}

/**
 * Fires, ranks and explains the recommendation templates.
 *
 * A template fires when its target (S_q of its question, else D_d) exists and is below its
 * threshold. Templates naming an unknown dimension or question never fire.
 */
export function computeRecommendations(ctx: RecommendationContext): RecommendationResult[] {
  const groupMaxWeight = new Map<string, number>();
  const dimensionByCode = new Map<string, DimensionDef>();
  for (const d of ctx.dimensions) {
    if (!dimensionByCode.has(d.code)) dimensionByCode.set(d.code, d);
    groupMaxWeight.set(d.group, Math.max(groupMaxWeight.get(d.group) ?? 0, d.weight));
  }
  const fired: RecommendationResult[] = [];
  for (const t of ctx.templates) {
    const dimension = dimensionByCode.get(t.dimension);
    if (!dimension) continue;
    const question = t.question ?? null;
    if (question !== null && !ctx.questionScore.has(question)) continue;
    const target = question !== null ? ctx.questionScore.get(question) : ctx.dimensionScore.get(t.dimension);
    if (target === null || target === undefined) continue;
    const threshold = t.threshold ?? ctx.recommendationThreshold;
    if (!below(target, threshold)) continue;
    const gap = (threshold - target) / 100;
    const weight = dimension.weight / (groupMaxWeight.get(dimension.group) as number);
    const priority = (gap * weight * t.impact) / t.effort;
    let tier: RecommendationTier;
    const layer = ctx.pyramidLayer.get(t.dimension);
    if (
      question !== null
        ? ctx.questionKnockedOut.get(question) === true
        : ctx.dimensionKnockedOut.get(t.dimension) === true
    ) {
      tier = 1;
    } else if (layer !== undefined && ctx.firstWeakLayer !== null && layer === ctx.firstWeakLayer) {
      tier = 2;
    } else if (layer !== undefined && ctx.firstWeakLayer !== null && layer > ctx.firstWeakLayer) {
      tier = 4;
    } else {
      tier = 3;
    }
    const links = ctx.dimensionLinks.get(t.dimension) ?? [];
    let evidence: EvidenceItem[];
    if (question !== null) {
      const linkWeight = links.find((l) => l.question === question)?.weight ?? 0;
      evidence = [{ question, score: target, linkWeight, shortfall: linkWeight * (100 - target) }];
    } else {
      evidence = dimensionEvidence(links, ctx.questionScore);
    }
    fired.push({
      code: t.code,
      dimension: t.dimension,
      question,
      horizon: t.horizon,
      impact: t.impact,
      effort: t.effort,
      target,
      threshold,
      gap,
      weight,
      priority,
      tier,
      tierName: TIER_NAMES[tier],
      evidence,
    });
  }
  return fired.sort(compareRecommendations);
}

/**
 * What a report shows, assembled from the stored result (as the API returns it), the
 * organisation's history and the benchmark service: the one model the HTML page and the PDF
 * both render, so both show the same figures, and those are the API's.
 */
import { roundHalfAwayFromZero, type ScoringSettings } from '../../scoring';
import type { AssessmentResultType, ResultDimensionType } from '../result/result.types';
import type { AssessmentHistoryEntryType } from '../result/history.types';
import type { Benchmark, BenchmarkFigures } from '../benchmark/benchmark.types';
import type { Locale } from '../reference/reference.types';
import { confidenceChart, perceptionGapChart, pyramidChart, radarChart } from './report-charts';
import { reportFormats, reportTexts, type ReportFormats, type ReportTexts } from './report-texts';

/** Who and what the report is about (names are the firm's own data). */
export interface ReportMeta {
  assessmentId: string;
  assessmentTitle: string;
  organisationName: string;
  frameworkName: string | null;
  frameworkVersion: string;
  status: 'OPEN' | 'CLOSED';
  closedAt: Date | null;
}

/** Everything a report is rendered from. */
export interface ReportModel {
  locale: Locale;
  texts: ReportTexts;
  format: ReportFormats;
  meta: ReportMeta;
  result: AssessmentResultType;
  /** The level's description from the framework, in the locale. */
  levelDescription: string | null;
  settings: ScoringSettings;
  /** The organisation's previous closed assessment on the same framework (history service). */
  previous: AssessmentHistoryEntryType | null;
  /** Change of each dimension since the previous assessment, as the history service has it. */
  changes: Map<string, number | null>;
  /** Benchmark of a closed assessment (benchmark service, k-anonymity applied); null when OPEN. */
  benchmark: Benchmark | null;
  /** The organisation's closed assessments on this framework up to this one, oldest first (history service). */
  timeline: AssessmentHistoryEntryType[];
}

/** The input of {@link buildReportModel}. */
export interface ReportSources {
  locale: Locale;
  meta: ReportMeta;
  result: AssessmentResultType;
  levelDescription: string | null;
  settings: ScoringSettings;
  history: AssessmentHistoryEntryType[];
  benchmark: Benchmark | null;
}

/** Assembles the report's model; no figure is computed here, only picked. */
export function buildReportModel(sources: ReportSources): ReportModel {
  const entry = sources.history.find((h) => h.assessmentId === sources.meta.assessmentId) ?? null;
  const previous = entry?.previousAssessmentId
    ? (sources.history.find((h) => h.assessmentId === entry.previousAssessmentId) ?? null)
    : null;
  const changes = new Map<string, number | null>((entry?.dimensions ?? []).map((d) => [d.code, d.changeRounded]));
  return {
    locale: sources.locale,
    texts: reportTexts(sources.locale),
    format: reportFormats(sources.locale),
    meta: sources.meta,
    result: sources.result,
    levelDescription: sources.levelDescription,
    settings: sources.settings,
    previous,
    changes,
    benchmark: sources.benchmark,
    timeline: timelineOf(sources.history, entry),
  };
}

/** The closed entries of a history that end with `entry` (by closedAt): the report's trend. */
function timelineOf(
  history: AssessmentHistoryEntryType[],
  entry: AssessmentHistoryEntryType | null,
): AssessmentHistoryEntryType[] {
  const closed = history
    .filter((h) => h.status === 'CLOSED' && h.closedAt !== null)
    .sort((a, b) => a.closedAt!.getTime() - b.closedAt!.getTime());
  if (!entry || entry.status !== 'CLOSED') return closed;
  return closed.slice(0, closed.findIndex((h) => h.assessmentId === entry.assessmentId) + 1);
}

/** The dimensions of the overall score's group (the six elements), in framework order. */
export function primaryDimensions(model: ReportModel): ResultDimensionType[] {
  return model.result.dimensions.filter((d) => d.group === model.result.overall.group);
}

/** The benchmark figures of one dimension (or OVERALL), when the benchmark has them. */
export function benchmarkOf(model: ReportModel, code: string | null): BenchmarkFigures | null {
  if (!model.benchmark) return null;
  if (code === null) return model.benchmark.overall;
  return model.benchmark.dimensions.find((d) => d.code === code) ?? null;
}

/** A dimension's title, or its code when the framework has no title in this locale. */
export function titleOf(d: { code: string; title: string | null }): string {
  return d.title ?? d.code;
}

/** The four charts of the report, as SVG. */
export interface ReportCharts {
  radar: string;
  pyramid: string | null;
  gap: string;
  confidence: string;
}

/** Draws the report's charts from its model. */
export function reportCharts(model: ReportModel): ReportCharts {
  const { texts: t, format: f } = model;
  const previousScores = new Map((model.previous?.dimensions ?? []).map((d) => [d.code, d.scoreRounded]));
  const radar = radarChart({
    title: t.radarTitle,
    axes: primaryDimensions(model).map((d) => ({
      label: titleOf(d),
      value: d.scoreRounded,
      previous: previousScores.get(d.code) ?? null,
      peer: benchmarkOf(model, d.code)?.median ?? null,
    })),
    legend: {
      current: t.current,
      previous: t.previous(model.previous?.closedAt ? f.date(model.previous.closedAt) : ''),
      peer: t.peerMedian,
    },
    format: f.score,
  });
  const pyramid = model.result.pyramid
    ? pyramidChart({
        title: t.pyramidTitle,
        layers: model.result.pyramid.layers.map((l) => ({
          layer: l.layer,
          label: l.title ?? l.dimension,
          raw: l.rawScoreRounded,
          gated: l.gatedScoreRounded,
          solid: l.solid,
          cappedByLayer: l.cappedByLayer,
        })),
        labels: { raw: t.raw, gated: t.gated, cappedBy: t.cappedBy, solid: t.solid, weak: t.weak },
        format: f.score,
      })
    : null;
  const gap = perceptionGapChart({
    title: t.gapTitle,
    rows: model.result.dimensions.map((d) => ({
      label: titleOf(d),
      executives: roundHalfAwayFromZero(d.executiveMean),
      others: roundHalfAwayFromZero(d.othersMean),
      gap: d.perceptionGapRounded,
      flagged: d.perceptionGapFlagged,
    })),
    labels: { executives: t.executives, others: t.others, gap: t.gap },
    format: f.change,
  });
  const confidence = confidenceChart({
    title: t.confidenceTitle,
    rows: model.result.dimensions.map((d) => ({
      label: titleOf(d),
      confidence: d.confidence,
      coverage: d.coverage,
      respondents: d.respondentsScored,
    })),
    labels: { confidence: t.confidence, coverage: t.coverage, respondents: t.respondentsShort },
    formatPercent: f.percent,
  });
  return { radar, pyramid, gap, confidence };
}

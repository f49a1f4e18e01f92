/**
 * The report as one self-contained HTML page: inline SVG charts and CSS, no script, no
 * external resource, print-friendly. Figures carry `data-figure` attributes naming what they
 * are, so tests (and integrations) can read them back.
 */
import { roundHalfAwayFromZero } from '../../scoring';
import { escapeXml as esc } from './report-charts';
import { benchmarkOf, primaryDimensions, reportCharts, titleOf, type ReportModel } from './report-model';
import type { ReportTexts } from './report-texts';

/** Links the page offers: the PDF and the other language (with the same credentials). */
export interface ReportLinks {
  pdf: string;
  otherLocale: string;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2933; background: #f4f6f8; line-height: 1.45; }
main { max-width: 960px; margin: 0 auto; background: #fff; padding: 32px 40px 48px; }
header.report { border-bottom: 3px solid #1d5fa8; padding-bottom: 16px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; color: #12355b; }
h2 { font-size: 19px; margin: 32px 0 10px; color: #12355b; border-bottom: 1px solid #d3d9e0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #616e7c; font-size: 14px; margin: 0; }
.actions { float: right; font-size: 14px; }
.actions a { margin-left: 12px; color: #1d5fa8; }
.banner { background: #fff4e5; border: 1px solid #c58a00; padding: 10px 14px; margin: 12px 0; border-radius: 4px; }
.overall { display: flex; gap: 28px; align-items: center; margin: 12px 0; }
.score-box { background: #1d5fa8; color: #fff; border-radius: 8px; padding: 14px 22px; text-align: center; min-width: 150px; }
.score-box .value { font-size: 40px; font-weight: bold; display: block; }
.score-box .label { font-size: 13px; opacity: .9; }
.level-title { font-size: 20px; font-weight: bold; margin: 0 0 4px; }
.note { color: #616e7c; font-size: 13px; }
.alert { color: #b42318; }
figure { margin: 12px 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.rec { border-left: 4px solid #1d5fa8; padding: 6px 12px; margin: 10px 0; break-inside: avoid; }
.rec.CRITICAL { border-color: #b42318; }
.rec.FOUNDATION { border-color: #c58a00; }
.rec h3 { margin: 0 0 4px; }
.tag { display: inline-block; font-size: 12px; background: #eef1f5; border-radius: 3px; padding: 1px 6px; margin-right: 6px; }
.rec ul { margin: 4px 0 4px 18px; padding: 0; }
.method { font-size: 13.5px; color: #3e4c59; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  .actions { display: none; }
  h2 { break-after: avoid; }
  figure, table, .overall { break-inside: avoid; }
  section.pyramid, section.gap, section.roadmap { break-before: page; }
}
`;

function cell(value: string, figure?: string, cls = 'num'): string {
  return `<td class="${cls}"${figure ? ` data-figure="${esc(figure)}"` : ''}>${esc(value)}</td>`;
}

/** Renders the report page. */
export function renderReportHtml(model: ReportModel, links: ReportLinks): string {
  const { texts: t, format: f, result, meta } = model;
  const charts = reportCharts(model);
  const parts: string[] = [];
  const level = result.overall.level;

  parts.push(
    `<header class="report"><nav class="actions"><a href="${esc(links.pdf)}">${esc(t.download)}</a><a href="${esc(links.otherLocale)}">${esc(t.otherLanguage)}</a></nav>`,
  );
  parts.push(`<h1>${esc(t.reportTitle)}</h1>`);
  parts.push(
    `<p class="meta"><strong data-figure="organisation">${esc(meta.organisationName)}</strong> · ${esc(meta.assessmentTitle)}</p>`,
  );
  const closed = meta.closedAt ? ` · ${esc(t.closedAt)} ${esc(f.date(meta.closedAt))}` : '';
  parts.push(
    `<p class="meta">${esc(t.framework)}: ${esc(meta.frameworkName ?? '')} ${esc(meta.frameworkVersion)}${closed} · <span data-figure="respondentCount" data-value="${result.respondentCount}">${esc(t.respondents(result.respondentCount))}</span></p></header>`,
  );
  if (result.provisional)
    parts.push(
      `<p class="banner" data-figure="provisional"><strong>${esc(t.provisional)}.</strong> ${esc(t.provisionalNote)}</p>`,
    );

  // Where you stand.
  parts.push(`<section class="overall-section"><h2>${esc(t.overallHeading)}</h2><div class="overall">`);
  parts.push(
    `<div class="score-box"><span class="value" data-figure="overall.score">${esc(f.score(result.overall.scoreRounded))}</span><span class="label">${esc(t.overallScore)}</span></div>`,
  );
  parts.push('<div>');
  if (level) {
    parts.push(
      `<p class="level-title">${esc(t.level)}: <span data-figure="overall.level" data-value="${level.number}">${level.number} · ${esc(level.title ?? level.code)}</span></p>`,
    );
  }
  if (model.levelDescription) parts.push(`<p>${esc(model.levelDescription)}</p>`);
  if (result.overall.knockoutCapped && level) {
    const uncapped = result.overall.uncappedLevel;
    parts.push(
      `<p class="alert">${esc(t.knockoutCapNote(level.title ?? level.code))}${uncapped ? ` ${esc(t.uncappedLevel)}: ${uncapped.number} · ${esc(uncapped.title ?? uncapped.code)}.` : ''}</p>`,
    );
  }
  parts.push('</div></div></section>');

  // The six elements.
  const elements = primaryDimensions(model);
  const hasPrevious = model.previous !== null;
  const hasPeer = elements.some((d) => (benchmarkOf(model, d.code)?.median ?? null) !== null);
  parts.push(`<section class="elements"><h2>${esc(t.elementsHeading)}</h2><figure>${charts.radar}</figure>`);
  parts.push(
    `<table><thead><tr><th>${esc(t.dimension)}</th><th class="num">${esc(t.score)}</th><th>${esc(t.level)}</th>${hasPrevious ? `<th class="num">${esc(t.change)}</th>` : ''}${hasPeer ? `<th class="num">${esc(t.peerMedian)}</th>` : ''}</tr></thead><tbody>`,
  );
  for (const d of elements) {
    parts.push(
      `<tr><td>${esc(titleOf(d))}</td>${cell(f.score(d.scoreRounded), `dimension.score:${d.code}`)}<td>${d.level ? `${d.level.number} · ${esc(d.level.title ?? d.level.code)}` : '—'}</td>` +
        (hasPrevious ? cell(f.change(model.changes.get(d.code) ?? null), `dimension.change:${d.code}`) : '') +
        (hasPeer ? cell(f.whole(benchmarkOf(model, d.code)?.median ?? null), `benchmark.median:${d.code}`) : '') +
        '</tr>',
    );
  }
  parts.push('</tbody></table>');
  if (model.timeline.length > 1) {
    parts.push(
      `<h3>${esc(t.timelineHeading)}</h3><table><thead><tr><th>${esc(t.closedAt)}</th><th>${esc(t.assessment)}</th><th class="num">${esc(t.overallScore)}</th><th class="num">${esc(t.change)}</th><th>${esc(t.level)}</th></tr></thead><tbody>`,
    );
    for (const h of model.timeline) {
      parts.push(
        `<tr><td>${esc(f.date(h.closedAt!))}</td><td>${esc(h.title)}</td>${cell(f.score(h.overallScoreRounded), `timeline.score:${h.assessmentId}`)}${cell(f.change(h.overallChangeRounded))}<td>${h.overallLevel ? `${h.overallLevel.number} · ${esc(h.overallLevel.title ?? h.overallLevel.code)}` : '—'}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>');

  // The pyramid.
  const pyramid = result.pyramid;
  if (pyramid && charts.pyramid) {
    parts.push(`<section class="pyramid"><h2>${esc(t.pyramidHeading)}</h2>`);
    parts.push(
      `<p data-figure="pyramid.height" data-value="${pyramid.height}">${esc(t.pyramidSummary(pyramid.height, pyramid.layers.length))} `,
    );
    const weak = pyramid.layers.find((l) => l.layer === pyramid.firstWeakLayer);
    parts.push(
      weak
        ? `${esc(t.firstWeakLayer(weak.layer, weak.title ?? weak.dimension, model.settings.gateTolerance))}</p>`
        : `${esc(t.noWeakLayer)}</p>`,
    );
    parts.push(`<figure>${charts.pyramid}</figure>`);
    parts.push(
      `<table><thead><tr><th>${esc(t.layer)}</th><th>${esc(t.dimension)}</th><th class="num">${esc(t.raw)}</th><th class="num">${esc(t.gated)}</th><th></th></tr></thead><tbody>`,
    );
    for (const l of [...pyramid.layers].sort((a, b) => b.layer - a.layer)) {
      const state = l.solid ? t.solid : l.cappedByLayer !== null ? t.cappedBy(l.cappedByLayer) : t.weak;
      parts.push(
        `<tr><td>${l.layer}</td><td>${esc(l.title ?? l.dimension)}</td>${cell(f.score(l.rawScoreRounded), `pyramid.raw:${l.dimension}`)}${cell(f.score(l.gatedScoreRounded), `pyramid.gated:${l.dimension}`)}<td${l.cappedByLayer !== null ? ' class="alert"' : ''}>${esc(state)}</td></tr>`,
      );
    }
    parts.push('</tbody></table></section>');
  }

  // Knockouts.
  parts.push(`<section class="knockouts"><h2>${esc(t.knockoutsHeading)}</h2>`);
  const capped = result.dimensions.filter((d) => d.knockedOutQuestions.length > 0);
  if (capped.length === 0) parts.push(`<p>${esc(t.noKnockouts)}</p>`);
  else {
    parts.push('<ul>');
    for (const d of capped) {
      const capLevel = d.cappedBy ? d.cappedBy.capLevel : null;
      parts.push(
        `<li data-figure="knockout:${esc(d.code)}"><strong>${esc(titleOf(d))}</strong>${capLevel !== null ? ` — ${esc(t.knockoutCaps(capLevel))}` : ''}<ul>${d.knockedOutQuestions
          .map((q) => `<li>${esc(q.code)}: ${esc(q.text ?? '')}</li>`)
          .join('')}</ul></li>`,
      );
    }
    parts.push('</ul>');
  }
  parts.push('</section>');

  // Perception gap.
  parts.push(
    `<section class="gap"><h2>${esc(t.gapHeading)}</h2><p class="note">${esc(t.gapIntro(f.whole(model.settings.perceptionGapThreshold)))}</p><figure>${charts.gap}</figure>`,
  );
  parts.push(
    `<table><thead><tr><th>${esc(t.dimension)}</th><th class="num">${esc(t.executives)}</th><th class="num">${esc(t.others)}</th><th class="num">${esc(t.gap)}</th></tr></thead><tbody>`,
  );
  for (const d of result.dimensions) {
    parts.push(
      `<tr${d.perceptionGapFlagged ? ' class="alert"' : ''}><td>${esc(titleOf(d))}</td>${cell(f.score(roundHalfAwayFromZero(d.executiveMean)))}${cell(f.score(roundHalfAwayFromZero(d.othersMean)))}${cell(f.change(d.perceptionGapRounded), `dimension.gap:${d.code}`)}</tr>`,
    );
  }
  parts.push('</tbody></table></section>');

  // Confidence.
  parts.push(
    `<section class="confidence"><h2>${esc(t.confidenceHeading)}</h2><figure>${charts.confidence}</figure></section>`,
  );

  // Roadmap.
  parts.push(`<section class="roadmap"><h2>${esc(t.roadmapHeading)}</h2>`);
  if (result.recommendations.length === 0) parts.push(`<p>${esc(t.noRecommendations)}</p>`);
  result.recommendations.forEach((r, index) => {
    parts.push(
      `<article class="rec ${esc(r.tierName)}" data-figure="recommendation:${index + 1}" data-code="${esc(r.code)}">`,
    );
    parts.push(`<h3>${index + 1}. ${esc(r.title ?? r.code)}</h3>`);
    parts.push(
      `<p><span class="tag">${esc(tierLabel(t, r.tierName))}</span><span class="tag">${esc(t.horizon[r.horizon as keyof ReportTexts['horizon']] ?? r.horizon)}</span><span class="note">${esc(r.dimensionTitle ?? r.dimension)}</span></p>`,
    );
    if (r.body) parts.push(`<p>${esc(r.body)}</p>`);
    if (r.actions.length > 0)
      parts.push(
        `<p><strong>${esc(t.firstActions)}</strong></p><ul>${r.actions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`,
      );
    if (r.evidence.length > 0) {
      parts.push(
        `<p class="note"><strong>${esc(t.evidence)}:</strong> ${r.evidence
          .map(
            (e) =>
              `${esc(e.text ?? e.question)} — <span data-figure="evidence:${index + 1}:${esc(e.question)}">${esc(f.score(e.scoreRounded))}</span>`,
          )
          .join('; ')} (${esc(t.target)} ${esc(f.score(r.targetRounded))})</p>`,
      );
    }
    parts.push('</article>');
  });
  parts.push('</section>');

  // Benchmarks.
  parts.push(`<section class="benchmark"><h2>${esc(t.benchmarkHeading)}</h2>`);
  const benchmark = model.benchmark;
  if (!benchmark) parts.push(`<p>${esc(t.benchmarkNone)}</p>`);
  else {
    parts.push(`<p class="note">${esc(t.benchmarkCohort(benchmark.cohort.scope, benchmark.overall.n))}</p>`);
    parts.push(
      `<table><thead><tr><th>${esc(t.dimension)}</th><th class="num">${esc(t.score)}</th><th class="num">${esc(t.percentile)}</th><th class="num">${esc(t.median)}</th><th class="num">${esc(t.p25p75)}</th></tr></thead><tbody>`,
    );
    const rows = [
      { code: 'OVERALL', title: t.overallScore, figures: benchmark.overall },
      ...benchmark.dimensions.map((d) => ({ code: d.code, title: d.title ?? d.code, figures: d })),
    ];
    for (const row of rows) {
      const b = row.figures;
      if (b.withheld) {
        parts.push(
          `<tr><td>${esc(row.title)}</td>${cell(f.whole(b.subjectScore))}<td colspan="3" class="note" data-figure="benchmark.withheld:${esc(row.code)}">${esc(t.benchmarkWithheld(benchmark.cohort.minimumSize))}</td></tr>`,
        );
      } else {
        parts.push(
          `<tr><td>${esc(row.title)}</td>${cell(f.whole(b.subjectScore))}${cell(f.whole(b.percentileRank), `benchmark.percentile:${row.code}`)}${cell(f.whole(b.median), `benchmark.medianAll:${row.code}`)}${cell(`${f.whole(b.p25)}–${f.whole(b.p75)}`)}</tr>`,
        );
      }
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>');

  parts.push(
    `<section class="method-section"><h2>${esc(t.methodHeading)}</h2><p class="method">${esc(t.method(model.settings, model.benchmark?.cohort.minimumSize ?? model.settings.benchmarkMinCohort))}</p></section>`,
  );

  const title = `${t.reportTitle} — ${meta.organisationName}`;
  return `<!doctype html><html lang="${t.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>${parts.join('\n')}</main></body></html>`;
}

function tierLabel(t: ReportTexts, tier: string): string {
  return t.tier[tier as keyof ReportTexts['tier']] ?? tier;
}

/** A plain page for a refused request (nothing about the report is revealed). */
export function renderMessagePage(t: ReportTexts, title: string, message: string): string {
  return `<!doctype html><html lang="${t.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head><body><main><h1>${esc(title)}</h1><p>${esc(message)}</p></main></body></html>`;
}

/**
 * The report as a PDF, drawn with pdfkit (pure JavaScript, no browser) from the same model
 * and the same SVG charts as the HTML page (placed with svg-to-pdfkit). DejaVu Sans, from the
 * dejavu-fonts-ttf package, is embedded (subset) so Cyrillic renders on every machine.
 */
import * as fs from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { roundHalfAwayFromZero } from '../../scoring';
import { RADAR_HEIGHT, RADAR_WIDTH } from './report-charts';
import { benchmarkOf, primaryDimensions, reportCharts, titleOf, type ReportModel } from './report-model';
import type { ReportTexts } from './report-texts';
import { RecommendationTierName } from '../result/result.types';

type Doc = PDFKit.PDFDocument;

const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
};
let fonts: { regular: Buffer; bold: Buffer } | null = null;

function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: fs.readFileSync(require.resolve(FONT_FILES.regular)),
    bold: fs.readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fonts;
}

const INK = '#1f2933';
const MUTED = '#616e7c';
const ACCENT = '#1d5fa8';
const HEADING = '#12355b';
const ALERT = '#b42318';
const MARGIN = 42;

/** Renders the report as a PDF document (A4). */
export async function renderReportPdf(model: ReportModel): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const { texts: t, format: f, result, meta } = model;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${t.reportTitle} — ${meta.organisationName}`,
      Subject: meta.assessmentTitle,
      Creator: 'service-strategy-maturity',
    },
    lang: t.htmlLang,
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('Sans', regular);
  doc.registerFont('Sans-Bold', bold);
  doc.font('Sans').fillColor(INK);

  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const heading = (text: string) => {
    ensure(60);
    doc.moveDown(0.6);
    doc.font('Sans-Bold').fontSize(14).fillColor(HEADING).text(text, MARGIN, doc.y, { width });
    const y = doc.y + 2;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(0.6)
      .strokeColor('#d3d9e0')
      .stroke();
    doc.y = y + 6;
    doc.font('Sans').fontSize(10).fillColor(INK);
  };
  const paragraph = (text: string, options: { size?: number; color?: string; bold?: boolean } = {}) => {
    doc
      .font(options.bold ? 'Sans-Bold' : 'Sans')
      .fontSize(options.size ?? 10)
      .fillColor(options.color ?? INK)
      .text(text, MARGIN, doc.y, { width });
    doc.fillColor(INK).font('Sans');
  };
  const chart = (svg: string, svgWidth: number, svgHeight: number, drawWidth: number) => {
    const drawHeight = (svgHeight * drawWidth) / svgWidth;
    ensure(drawHeight + 6);
    const x = MARGIN + (width - drawWidth) / 2;
    SVGtoPDF(doc, svg, x, doc.y, {
      width: drawWidth,
      height: drawHeight,
      preserveAspectRatio: 'xMidYMid meet',
      fontCallback: (_family: string, isBold: boolean) => (isBold ? 'Sans-Bold' : 'Sans'),
    });
    doc.y += drawHeight + 6;
    doc.x = MARGIN;
  };
  /** One table row on one line per cell (cells cut with an ellipsis), so the text reads back row by row. */
  const row = (
    cells: Array<{ text: string; width: number; align?: 'left' | 'right'; bold?: boolean; color?: string }>,
    header = false,
  ) => {
    const height = 15;
    ensure(height);
    const y = doc.y;
    if (header) doc.rect(MARGIN, y - 2, width, height).fill('#f4f6f8');
    let x = MARGIN;
    for (const c of cells) {
      doc
        .font(header || c.bold ? 'Sans-Bold' : 'Sans')
        .fontSize(9)
        .fillColor(c.color ?? INK)
        .text(c.text, x + 3, y + 1, {
          width: c.width - 6,
          align: c.align ?? 'left',
          lineBreak: false,
          ellipsis: true,
          height: height,
        });
      x += c.width;
    }
    doc
      .moveTo(MARGIN, y + height - 2)
      .lineTo(MARGIN + width, y + height - 2)
      .lineWidth(0.4)
      .strokeColor('#e4e7eb')
      .stroke();
    doc.y = y + height;
    doc.x = MARGIN;
    doc.fillColor(INK).font('Sans');
  };
  const charts = reportCharts(model);
  const level = result.overall.level;

  // Page 1: header, where you stand, the six elements.
  doc.rect(0, 0, doc.page.width, 6).fill(ACCENT);
  doc.fillColor(HEADING).font('Sans-Bold').fontSize(20).text(t.reportTitle, MARGIN, MARGIN);
  doc.moveDown(0.2);
  paragraph(`${meta.organisationName} · ${meta.assessmentTitle}`, { size: 11, bold: true });
  const closed = meta.closedAt ? ` · ${t.closedAt} ${f.date(meta.closedAt)}` : '';
  paragraph(
    `${t.framework}: ${meta.frameworkName ?? ''} ${meta.frameworkVersion}${closed} · ${t.respondents(result.respondentCount)}`,
    { size: 9, color: MUTED },
  );
  if (result.provisional) {
    doc.moveDown(0.4);
    paragraph(`${t.provisional}. ${t.provisionalNote}`, { size: 9.5, color: '#8a5a00', bold: true });
  }

  heading(t.overallHeading);
  const boxTop = doc.y;
  doc.roundedRect(MARGIN, boxTop, 130, 70, 6).fill(ACCENT);
  doc
    .fillColor('#ffffff')
    .font('Sans-Bold')
    .fontSize(30)
    .text(f.score(result.overall.scoreRounded), MARGIN, boxTop + 10, { width: 130, align: 'center' });
  doc
    .font('Sans')
    .fontSize(9)
    .text(t.overallScore, MARGIN, boxTop + 50, { width: 130, align: 'center' });
  const textX = MARGIN + 146;
  const textWidth = width - 146;
  doc.fillColor(INK).font('Sans-Bold').fontSize(13);
  doc.text(level ? `${t.level}: ${level.number} · ${level.title ?? level.code}` : t.level, textX, boxTop, {
    width: textWidth,
  });
  doc.font('Sans').fontSize(9.5);
  if (model.levelDescription) doc.text(model.levelDescription, textX, doc.y + 2, { width: textWidth });
  if (result.overall.knockoutCapped && level) {
    const uncapped = result.overall.uncappedLevel;
    doc
      .fillColor(ALERT)
      .text(
        `${t.knockoutCapNote(level.title ?? level.code)}${uncapped ? ` ${t.uncappedLevel}: ${uncapped.number} · ${uncapped.title ?? uncapped.code}.` : ''}`,
        textX,
        doc.y + 2,
        { width: textWidth },
      );
    doc.fillColor(INK);
  }
  doc.y = Math.max(doc.y, boxTop + 76);
  doc.x = MARGIN;

  heading(t.elementsHeading);
  chart(charts.radar, RADAR_WIDTH, RADAR_HEIGHT, 420);
  const elements = primaryDimensions(model);
  const hasPrevious = model.previous !== null;
  const hasPeer = elements.some((d) => (benchmarkOf(model, d.code)?.median ?? null) !== null);
  const extra = (hasPrevious ? 1 : 0) + (hasPeer ? 1 : 0);
  const titleWidth = width - 55 - 125 - extra * 65;
  row(
    [
      { text: t.dimension, width: titleWidth },
      { text: t.score, width: 55, align: 'right' },
      { text: t.level, width: 125 },
      ...(hasPrevious ? [{ text: t.change, width: 65, align: 'right' as const }] : []),
      ...(hasPeer ? [{ text: t.median, width: 65, align: 'right' as const }] : []),
    ],
    true,
  );
  for (const d of elements) {
    row([
      { text: titleOf(d), width: titleWidth },
      { text: f.score(d.scoreRounded), width: 55, align: 'right', bold: true },
      { text: d.level ? `${d.level.number} · ${d.level.title ?? d.level.code}` : '—', width: 125 },
      ...(hasPrevious
        ? [{ text: f.change(model.changes.get(d.code) ?? null), width: 65, align: 'right' as const }]
        : []),
      ...(hasPeer
        ? [{ text: f.whole(benchmarkOf(model, d.code)?.median ?? null), width: 65, align: 'right' as const }]
        : []),
    ]);
  }

  if (model.timeline.length > 1) {
    doc.moveDown(0.6);
    paragraph(t.timelineHeading, { bold: true, size: 11 });
    doc.moveDown(0.2);
    const first = width - 110 - 60 - 60 - 125;
    row(
      [
        { text: t.closedAt, width: 110 },
        { text: t.assessment, width: first },
        { text: t.score, width: 60, align: 'right' },
        { text: t.change, width: 60, align: 'right' },
        { text: t.level, width: 125 },
      ],
      true,
    );
    for (const h of model.timeline) {
      row([
        { text: f.date(h.closedAt!), width: 110 },
        { text: h.title, width: first },
        { text: f.score(h.overallScoreRounded), width: 60, align: 'right', bold: true },
        { text: f.change(h.overallChangeRounded), width: 60, align: 'right' },
        {
          text: h.overallLevel ? `${h.overallLevel.number} · ${h.overallLevel.title ?? h.overallLevel.code}` : '—',
          width: 125,
        },
      ]);
    }
  }

  // Page 2: the pyramid and knockouts.
  const pyramid = result.pyramid;
  if (pyramid && charts.pyramid) {
    doc.addPage();
    heading(t.pyramidHeading);
    const weak = pyramid.layers.find((l) => l.layer === pyramid.firstWeakLayer);
    paragraph(
      `${t.pyramidSummary(pyramid.height, pyramid.layers.length)} ${weak ? t.firstWeakLayer(weak.layer, weak.title ?? weak.dimension, model.settings.gateTolerance) : t.noWeakLayer}`,
    );
    doc.moveDown(0.5);
    const svgHeight = 12 + 40 * pyramid.layers.length + 40;
    chart(charts.pyramid, 700, svgHeight, width);
    row(
      [
        { text: t.layer, width: 50 },
        { text: t.dimension, width: width - 50 - 190 - 110 },
        { text: t.raw, width: 90, align: 'right' },
        { text: t.gated, width: 100, align: 'right' },
        { text: '', width: 110 },
      ],
      true,
    );
    for (const l of [...pyramid.layers].sort((a, b) => b.layer - a.layer)) {
      row([
        { text: String(l.layer), width: 50 },
        { text: l.title ?? l.dimension, width: width - 50 - 190 - 110 },
        { text: f.score(l.rawScoreRounded), width: 90, align: 'right' },
        { text: f.score(l.gatedScoreRounded), width: 100, align: 'right', bold: true },
        {
          text: l.solid ? t.solid : l.cappedByLayer !== null ? t.cappedBy(l.cappedByLayer) : t.weak,
          width: 110,
          color: l.cappedByLayer !== null ? ALERT : MUTED,
        },
      ]);
    }
  }
  heading(t.knockoutsHeading);
  const capped = result.dimensions.filter((d) => d.knockedOutQuestions.length > 0);
  if (capped.length === 0) paragraph(t.noKnockouts);
  for (const d of capped) {
    paragraph(`${titleOf(d)}${d.cappedBy ? ` — ${t.knockoutCaps(d.cappedBy.capLevel)}` : ''}`, { bold: true });
    for (const q of d.knockedOutQuestions) paragraph(`• ${q.code}: ${q.text ?? ''}`, { size: 9 });
    doc.moveDown(0.3);
  }

  // Page 3: perception gap and confidence.
  doc.addPage();
  heading(t.gapHeading);
  paragraph(t.gapIntro(f.whole(model.settings.perceptionGapThreshold)), { size: 9, color: MUTED });
  doc.moveDown(0.3);
  chart(charts.gap, 700, 28 + 30 * result.dimensions.length + 34, width);
  heading(t.confidenceHeading);
  chart(charts.confidence, 700, 24 + 24 * result.dimensions.length + 8, width);

  // The roadmap.
  doc.addPage();
  heading(t.roadmapHeading);
  if (result.recommendations.length === 0) paragraph(t.noRecommendations);
  result.recommendations.forEach((r, index) => {
    ensure(90);
    const top = doc.y;
    const color =
      r.tierName === RecommendationTierName.CRITICAL
        ? ALERT
        : r.tierName === RecommendationTierName.FOUNDATION
          ? '#c58a00'
          : ACCENT;
    doc
      .font('Sans-Bold')
      .fontSize(11)
      .fillColor(INK)
      .text(`${index + 1}. ${r.title ?? r.code}`, MARGIN + 10, top, { width: width - 10 });
    const tier = t.tier[r.tierName as keyof ReportTexts['tier']] ?? r.tierName;
    const horizon = t.horizon[r.horizon as keyof ReportTexts['horizon']] ?? r.horizon;
    doc
      .font('Sans')
      .fontSize(8.5)
      .fillColor(color)
      .text(`${tier} · ${horizon} · ${r.dimensionTitle ?? r.dimension}`, MARGIN + 10, doc.y + 1, { width: width - 10 });
    doc.fillColor(INK).fontSize(9.5);
    if (r.body) doc.text(r.body, MARGIN + 10, doc.y + 2, { width: width - 10 });
    if (r.actions.length > 0) {
      doc
        .font('Sans-Bold')
        .fontSize(9)
        .text(t.firstActions, MARGIN + 10, doc.y + 3, { width: width - 10 });
      doc.font('Sans').fontSize(9);
      for (const a of r.actions) doc.text(`• ${a}`, MARGIN + 18, doc.y + 1, { width: width - 18 });
    }
    if (r.evidence.length > 0) {
      const evidence = r.evidence.map((e) => `${e.text ?? e.question} — ${f.score(e.scoreRounded)}`).join('; ');
      doc
        .fillColor(MUTED)
        .fontSize(8.5)
        .text(`${t.evidence}: ${evidence} (${t.target} ${f.score(r.targetRounded)})`, MARGIN + 10, doc.y + 3, {
          width: width - 10,
        });
    }
    const end = doc.y;
    // The tier's bar beside the item (on its first page when the item breaks across pages).
    if (end > top) doc.rect(MARGIN, top, 3, end - top).fill(color);
    doc.fillColor(INK);
    doc.y = end + 10;
    doc.x = MARGIN;
  });

  // Benchmarks and the method.
  heading(t.benchmarkHeading);
  const benchmark = model.benchmark;
  if (!benchmark) paragraph(t.benchmarkNone);
  else {
    paragraph(t.benchmarkCohort(benchmark.cohort.scope, benchmark.overall.n), { size: 9, color: MUTED });
    doc.moveDown(0.4);
    const first = width - 4 * 75;
    row(
      [
        { text: t.dimension, width: first },
        { text: t.score, width: 75, align: 'right' },
        { text: t.percentile, width: 75, align: 'right' },
        { text: t.median, width: 75, align: 'right' },
        { text: t.p25p75, width: 75, align: 'right' },
      ],
      true,
    );
    const rows = [
      { title: t.overallScore, b: benchmark.overall },
      ...benchmark.dimensions.map((d) => ({ title: d.title ?? d.code, b: d })),
    ];
    for (const { title, b } of rows) {
      if (b.withheld) {
        row([
          { text: title, width: first },
          { text: f.whole(b.subjectScore), width: 75, align: 'right' },
          { text: t.benchmarkWithheld(benchmark.cohort.minimumSize), width: 225, color: MUTED },
        ]);
      } else {
        row([
          { text: title, width: first },
          { text: f.whole(b.subjectScore), width: 75, align: 'right' },
          { text: f.whole(b.percentileRank), width: 75, align: 'right', bold: true },
          { text: f.whole(b.median), width: 75, align: 'right' },
          { text: `${f.whole(b.p25)}–${f.whole(b.p75)}`, width: 75, align: 'right' },
        ]);
      }
    }
  }
  heading(t.methodHeading);
  paragraph(t.method(model.settings, model.benchmark?.cohort.minimumSize ?? model.settings.benchmarkMinCohort), {
    size: 9,
    color: '#3e4c59',
  });

  // Perception-gap figures as a table, after the method: the chart shows them, this lists them.
  heading(`${t.gapHeading} — ${t.figuresHeading}`);
  const gapFirst = width - 3 * 90;
  row(
    [
      { text: t.dimension, width: gapFirst },
      { text: t.executives, width: 90, align: 'right' },
      { text: t.others, width: 90, align: 'right' },
      { text: t.gap, width: 90, align: 'right' },
    ],
    true,
  );
  for (const d of result.dimensions) {
    row([
      { text: titleOf(d), width: gapFirst },
      { text: f.score(roundHalfAwayFromZero(d.executiveMean)), width: 90, align: 'right' },
      { text: f.score(roundHalfAwayFromZero(d.othersMean)), width: 90, align: 'right' },
      {
        text: f.change(d.perceptionGapRounded),
        width: 90,
        align: 'right',
        bold: d.perceptionGapFlagged,
        color: d.perceptionGapFlagged ? ALERT : INK,
      },
    ]);
  }

  // Footers: organisation and page number on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Sans')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${meta.organisationName} · ${t.reportTitle}`, MARGIN, doc.page.height - MARGIN + 8, {
        width: width - 80,
        lineBreak: false,
        ellipsis: true,
      })
      .text(t.page(i + 1), MARGIN + width - 80, doc.page.height - MARGIN + 8, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}

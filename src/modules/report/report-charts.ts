/**
 * The report's charts as SVG strings: pure functions of the figures they show (no DOM, no
 * I/O), so the HTML page inlines them and the PDF draws the same markup. Every text is
 * escaped; every number is formatted by the caller's `format`, so a chart shows exactly the
 * figures of the tables beside it.
 */

/** The font the charts name; the PDF maps it to the embedded DejaVu Sans. */
export const CHART_FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID = '#d3d9e0';
const CURRENT = '#1d5fa8';
const PREVIOUS = '#8a6d1f';
const PEER = '#2f8a57';
const ALERT = '#b42318';

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids even escaped are dropped.
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  );
}

/** Formats a number for display (locale-aware); null for a missing value. */
export type NumberFormat = (value: number | null) => string;

const n2 = (x: number) => (Math.round(x * 100) / 100).toString();

/**
 * Splits a label into at most `maxLines` lines of about `maxChars` characters (words kept
 * whole; the last line ends with an ellipsis when the label is longer).
 */
export function wrapLabel(label: string, maxChars: number, maxLines = 2): string[] {
  const words = label.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i];
    const next = current ? `${current} ${word}` : word;
    if (next.length <= maxChars || !current) {
      current = next;
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && current) {
    lines.push(current);
    i = words.length;
  }
  if (i < words.length || lines.some((l) => l.length > maxChars)) {
    const last = lines.length - 1;
    let cut = lines[last];
    // Drop whole words until the ellipsis fits; cut inside a word only when it is the only one.
    while (cut.length > maxChars - 1 && cut.includes(' '))
      cut = cut.slice(0, cut.lastIndexOf(' ')).replace(/[\s,;:]+$/, '');
    if (cut.length > maxChars - 1) cut = cut.slice(0, maxChars - 1);
    lines[last] = `${cut}…`;
  }
  return lines;
}

function text(
  x: number,
  y: number,
  content: string | string[],
  attrs: Record<string, string | number> = {},
  lineHeight = 13,
): string {
  const lines = Array.isArray(content) ? content : [content];
  const attributes = Object.entries({ 'font-family': CHART_FONT, 'font-size': 11, fill: INK, ...attrs })
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');
  if (lines.length === 1) return `<text x="${n2(x)}" y="${n2(y)}" ${attributes}>${escapeXml(lines[0])}</text>`;
  const spans = lines
    .map((line, i) => `<tspan x="${n2(x)}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`)
    .join('');
  return `<text x="${n2(x)}" y="${n2(y)}" ${attributes}>${spans}</text>`;
}

function svg(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>${body}</svg>`
  );
}

function legend(
  x: number,
  y: number,
  items: Array<{ label: string; color: string; dash?: string; dot?: boolean }>,
): string {
  let out = '';
  let cx = x;
  for (const item of items) {
    out += item.dot
      ? `<circle cx="${n2(cx + 9)}" cy="${n2(y - 4)}" r="4.5" fill="${item.color}"/>`
      : `<line x1="${n2(cx)}" y1="${n2(y - 4)}" x2="${n2(cx + 18)}" y2="${n2(y - 4)}" stroke="${item.color}" stroke-width="2.5"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>`;
    out += text(cx + 23, y, item.label, { 'font-size': 10.5, fill: MUTED });
    cx += 23 + item.label.length * 6.2 + 18;
  }
  return out;
}

/** One axis of the radar: a dimension with its score and, when they exist, the comparison figures. */
export interface RadarAxis {
  label: string;
  value: number | null;
  previous?: number | null;
  peer?: number | null;
}

/** The radar's drawing size. */
export const RADAR_WIDTH = 640;
export const RADAR_HEIGHT = 440;

/** Input of {@link radarChart}. */
export interface RadarChartInput {
  title: string;
  axes: RadarAxis[];
  legend: { current: string; previous: string; peer: string };
  format: NumberFormat;
}

/**
 * A radar of 0–100 scores on one axis per dimension, clockwise from the top: the current
 * scores filled, the previous assessment's dashed and the peer median dotted, each drawn only
 * when at least one axis has that figure. A missing score is drawn at the centre and its label
 * says "—".
 */
export function radarChart(input: RadarChartInput): string {
  const width = RADAR_WIDTH;
  const height = RADAR_HEIGHT;
  const cx = width / 2;
  const cy = 222;
  const radius = 140;
  const count = input.axes.length;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, count);
  const point = (i: number, value: number) => {
    const r = (radius * Math.max(0, Math.min(100, value))) / 100;
    return [cx + r * Math.cos(angle(i)), cy + r * Math.sin(angle(i))];
  };
  let body = '';
  for (const ring of [20, 40, 60, 80, 100]) {
    const pts = input.axes.map((_, i) => point(i, ring).map(n2).join(',')).join(' ');
    body += `<polygon points="${pts}" fill="none" stroke="${GRID}" stroke-width="1"/>`;
    // Ring values between the first two axes, clear of the score labels on the axes.
    const between = -Math.PI / 2 + Math.PI / Math.max(1, count);
    const r = (radius * ring) / 100;
    body += text(cx + r * Math.cos(between) + 2, cy + r * Math.sin(between) + 3, String(ring), {
      'font-size': 8.5,
      fill: MUTED,
    });
  }
  input.axes.forEach((axis, i) => {
    const [x, y] = point(i, 100);
    body += `<line x1="${n2(cx)}" y1="${n2(cy)}" x2="${n2(x)}" y2="${n2(y)}" stroke="${GRID}" stroke-width="1"/>`;
  });
  const polygon = (values: Array<number | null | undefined>, attrs: string) =>
    `<polygon points="${values
      .map((v, i) =>
        point(i, v ?? 0)
          .map(n2)
          .join(','),
      )
      .join(' ')}" ${attrs}/>`;
  const hasPrevious = input.axes.some((a) => a.previous !== null && a.previous !== undefined);
  const hasPeer = input.axes.some((a) => a.peer !== null && a.peer !== undefined);
  if (hasPeer)
    body += polygon(
      input.axes.map((a) => a.peer),
      `fill="none" stroke="${PEER}" stroke-width="2" stroke-dasharray="2,3"`,
    );
  if (hasPrevious)
    body += polygon(
      input.axes.map((a) => a.previous),
      `fill="none" stroke="${PREVIOUS}" stroke-width="2" stroke-dasharray="7,4"`,
    );
  body += polygon(
    input.axes.map((a) => a.value),
    `fill="${CURRENT}" fill-opacity="0.18" stroke="${CURRENT}" stroke-width="2.5"`,
  );
  input.axes.forEach((axis, i) => {
    if (axis.value === null) return;
    const [x, y] = point(i, axis.value);
    body += `<circle cx="${n2(x)}" cy="${n2(y)}" r="3.5" fill="${CURRENT}"/>`;
  });
  input.axes.forEach((axis, i) => {
    const a = angle(i);
    const lx = cx + (radius + 16) * Math.cos(a);
    const ly = cy + (radius + 16) * Math.sin(a);
    const cos = Math.cos(a);
    const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
    const lines = wrapLabel(axis.label, 22, 2);
    const above = Math.sin(a) < -0.5;
    const top = above ? ly - 13 * lines.length - 4 : Math.sin(a) > 0.5 ? ly + 10 : ly - 6;
    body += text(lx, top, lines, { 'text-anchor': anchor, 'font-size': 10.5 });
    body += text(lx, top + 13 * lines.length, input.format(axis.value), {
      'text-anchor': anchor,
      'font-size': 11.5,
      'font-weight': 'bold',
      fill: CURRENT,
    });
  });
  const items = [{ label: input.legend.current, color: CURRENT }];
  if (hasPrevious) items.push({ label: input.legend.previous, color: PREVIOUS, dash: '7,4' } as (typeof items)[number]);
  if (hasPeer) items.push({ label: input.legend.peer, color: PEER, dash: '2,3' } as (typeof items)[number]);
  body += legend(16, height - 8, items);
  return svg(width, height, input.title, body);
}

/** One layer of the pyramid, as the stored result has it. */
export interface PyramidLayer {
  layer: number;
  label: string;
  raw: number | null;
  gated: number | null;
  solid: boolean;
  cappedByLayer: number | null;
}

/** Input of {@link pyramidChart}. */
export interface PyramidChartInput {
  title: string;
  layers: PyramidLayer[];
  /** Texts: the raw and gated legend, "capped by layer {n}", and the solid mark. */
  labels: { raw: string; gated: string; cappedBy: (layer: number) => string; solid: string; weak: string };
  format: NumberFormat;
}

/**
 * The pyramid drawn bottom-up (layer 1 at the base, widest): each band shaded by its gated
 * score, solid layers in full colour, and beside it the raw and the gated score as two bars,
 * with the layer that caps it.
 */
export function pyramidChart(input: PyramidChartInput): string {
  const layers = [...input.layers].sort((a, b) => a.layer - b.layer);
  const rowHeight = 40;
  const top = 12;
  const width = 700;
  const height = top + rowHeight * layers.length + 40;
  const pyramidWidth = 230;
  const apex = 50;
  const baseY = top + rowHeight * layers.length;
  const halfAt = (y: number) => ((pyramidWidth / 2) * (y - top + apex)) / (baseY - top + apex);
  const cx = pyramidWidth / 2 + 8;
  const barX = 470;
  const barWidth = 170;
  let body = '';
  layers.forEach((layer, index) => {
    const yBottom = baseY - index * rowHeight;
    const yTop = yBottom - rowHeight + 3;
    const wb = halfAt(yBottom);
    const wt = halfAt(yTop);
    const gated = layer.gated ?? 0;
    const fill = layer.solid ? CURRENT : '#9db4d0';
    const opacity = 0.25 + 0.75 * (gated / 100);
    body += `<polygon points="${n2(cx - wb)},${n2(yBottom)} ${n2(cx + wb)},${n2(yBottom)} ${n2(cx + wt)},${n2(yTop)} ${n2(cx - wt)},${n2(yTop)}" fill="${fill}" fill-opacity="${n2(opacity)}" stroke="#ffffff" stroke-width="1"/>`;
    body += text(cx, yBottom - rowHeight / 2 + 5, String(layer.layer), {
      'text-anchor': 'middle',
      'font-weight': 'bold',
      fill: gated > 55 ? '#ffffff' : INK,
    });
    const labelX = pyramidWidth + 26;
    const lines = wrapLabel(layer.label, 30, 2);
    body += text(labelX, yBottom - rowHeight + 16, lines, { 'font-size': 10.5 }, 12);
    const status = layer.solid
      ? input.labels.solid
      : layer.cappedByLayer !== null
        ? input.labels.cappedBy(layer.cappedByLayer)
        : input.labels.weak;
    if (lines.length < 2)
      body += text(labelX, yBottom - rowHeight + 30, status, {
        'font-size': 9.5,
        fill: layer.cappedByLayer !== null ? ALERT : MUTED,
      });
    const rawW = (barWidth * Math.max(0, Math.min(100, layer.raw ?? 0))) / 100;
    const gatedW = (barWidth * Math.max(0, Math.min(100, gated))) / 100;
    const by = yBottom - rowHeight + 8;
    body += `<rect x="${barX}" y="${n2(by)}" width="${barWidth}" height="10" fill="#eef1f5"/>`;
    body += `<rect x="${barX}" y="${n2(by)}" width="${n2(rawW)}" height="10" fill="#9db4d0"/>`;
    body += `<rect x="${barX}" y="${n2(by + 13)}" width="${barWidth}" height="10" fill="#eef1f5"/>`;
    body += `<rect x="${barX}" y="${n2(by + 13)}" width="${n2(gatedW)}" height="10" fill="${CURRENT}"/>`;
    body += text(barX + barWidth + 6, by + 9, input.format(layer.raw), { 'font-size': 9.5 });
    body += text(barX + barWidth + 6, by + 22, input.format(layer.gated), { 'font-size': 9.5, 'font-weight': 'bold' });
    if (lines.length >= 2) {
      body += text(barX - 8, by + 22, status, {
        'font-size': 9,
        'text-anchor': 'end',
        fill: layer.cappedByLayer !== null ? ALERT : MUTED,
      });
    }
  });
  body += legend(barX - 10, height - 10, [
    { label: input.labels.raw, color: '#9db4d0' },
    { label: input.labels.gated, color: CURRENT },
  ]);
  return svg(width, height, input.title, body);
}

/** One dimension's scores by executives and by everyone else. */
export interface GapRow {
  label: string;
  executives: number | null;
  others: number | null;
  gap: number | null;
  flagged: boolean;
}

/** Input of {@link perceptionGapChart}. */
export interface GapChartInput {
  title: string;
  rows: GapRow[];
  labels: { executives: string; others: string; gap: string };
  format: NumberFormat;
}

/**
 * The perception gap per dimension: a dot for executives, a dot for everyone else on one
 * 0–100 scale, joined by a line; gaps the framework flags drawn in red with their size.
 */
export function perceptionGapChart(input: GapChartInput): string {
  const rowHeight = 30;
  const top = 28;
  const width = 700;
  const height = top + rowHeight * input.rows.length + 34;
  const x0 = 250;
  const scale = 360;
  const x = (v: number) => x0 + (scale * Math.max(0, Math.min(100, v))) / 100;
  let body = '';
  for (const tick of [0, 20, 40, 60, 80, 100]) {
    body += `<line x1="${n2(x(tick))}" y1="${top - 8}" x2="${n2(x(tick))}" y2="${top + rowHeight * input.rows.length - 6}" stroke="${GRID}" stroke-width="1"/>`;
    body += text(x(tick), top - 12, String(tick), { 'font-size': 9, fill: MUTED, 'text-anchor': 'middle' });
  }
  body += text(width - 8, top - 12, input.labels.gap, { 'font-size': 9, fill: MUTED, 'text-anchor': 'end' });
  input.rows.forEach((row, i) => {
    const y = top + i * rowHeight + 8;
    body += text(0, y + 4, wrapLabel(row.label, 40, 1), { 'font-size': 10.5 });
    const color = row.flagged ? ALERT : MUTED;
    if (row.executives !== null && row.others !== null) {
      body += `<line x1="${n2(x(row.executives))}" y1="${y}" x2="${n2(x(row.others))}" y2="${y}" stroke="${color}" stroke-width="${row.flagged ? 3 : 2}"/>`;
    }
    if (row.others !== null) body += `<circle cx="${n2(x(row.others))}" cy="${y}" r="5" fill="${PEER}"/>`;
    if (row.executives !== null) body += `<circle cx="${n2(x(row.executives))}" cy="${y}" r="5" fill="${CURRENT}"/>`;
    body += text(width - 8, y + 4, input.format(row.gap), {
      'font-size': 10.5,
      'text-anchor': 'end',
      fill: row.flagged ? ALERT : INK,
      'font-weight': row.flagged ? 'bold' : 'normal',
    });
  });
  body += legend(x0, height - 8, [
    { label: input.labels.executives, color: CURRENT, dot: true },
    { label: input.labels.others, color: PEER, dot: true },
  ]);
  return svg(width, height, input.title, body);
}

/** One dimension's confidence, with what it rests on. */
export interface ConfidenceRow {
  label: string;
  confidence: 'HIGH' | 'MEDIUM' | 'LOW';
  /** Share of the dimension's question weight answered, 0..1 (null when nothing could be answered). */
  coverage: number | null;
  respondents: number;
}

/** Input of {@link confidenceChart}. */
export interface ConfidenceChartInput {
  title: string;
  rows: ConfidenceRow[];
  labels: {
    confidence: Record<ConfidenceRow['confidence'], string>;
    coverage: string;
    respondents: (n: number) => string;
  };
  formatPercent: (share: number) => string;
}

/** Confidence per dimension: three steps filled for HIGH, two for MEDIUM, one for LOW, with the coverage bar. */
export function confidenceChart(input: ConfidenceChartInput): string {
  const rowHeight = 24;
  const top = 24;
  const width = 700;
  const height = top + rowHeight * input.rows.length + 8;
  const stepsX = 300;
  const coverageX = 470;
  const coverageWidth = 120;
  let body = text(coverageX, top - 10, input.labels.coverage, { 'font-size': 9, fill: MUTED });
  const level = { HIGH: 3, MEDIUM: 2, LOW: 1 } as const;
  const color = { HIGH: PEER, MEDIUM: '#c58a00', LOW: ALERT } as const;
  input.rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    body += text(0, y + 12, wrapLabel(row.label, 44, 1), { 'font-size': 10.5 });
    for (let s = 0; s < 3; s++) {
      body += `<rect x="${stepsX + s * 18}" y="${y + 2}" width="15" height="12" rx="2" fill="${s < level[row.confidence] ? color[row.confidence] : '#e4e7eb'}"/>`;
    }
    body += text(stepsX + 60, y + 12, input.labels.confidence[row.confidence], {
      'font-size': 10,
      fill: color[row.confidence],
    });
    const share = Math.max(0, Math.min(1, row.coverage ?? 0));
    body += `<rect x="${coverageX}" y="${y + 3}" width="${coverageWidth}" height="10" fill="#eef1f5"/>`;
    body += `<rect x="${coverageX}" y="${y + 3}" width="${n2(coverageWidth * share)}" height="10" fill="${MUTED}"/>`;
    body += text(
      coverageX + coverageWidth + 6,
      y + 12,
      `${row.coverage === null ? '—' : input.formatPercent(share)} · ${input.labels.respondents(row.respondents)}`,
      { 'font-size': 9.5, fill: MUTED },
    );
  });
  return svg(width, height, input.title, body);
}

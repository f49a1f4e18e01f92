import { confidenceChart, escapeXml, perceptionGapChart, pyramidChart, radarChart, wrapLabel } from './report-charts';

const format = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const axes = ['Leadership', 'Systems', 'People', 'Empowerment', 'Training', 'Recovery'].map((label, i) => ({
  label,
  value: 40 + i * 5,
}));
const legend = { current: 'Now', previous: 'Before', peer: 'Peers' };

/** Text content of every <text> and <tspan>, in order. */
const texts = (svg: string) => [...svg.matchAll(/<(?:text|tspan)[^>]*>([^<]+)</g)].map((m) => m[1]);

describe('report charts', () => {
  it('escapes every text, attributes included, and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">&'\u0001`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
    const svg = radarChart({
      title: 'T "q" <b>',
      axes: [{ label: '<script>alert(1)</script>', value: 50 }, ...axes.slice(1)],
      legend,
      format,
    });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&#60;script&#62;');
    expect(svg).toContain('aria-label="T &#34;q&#34; &#60;b&#62;"');
  });

  it('draws the previous assessment and the peer median only when they exist', () => {
    const plain = radarChart({ title: 'Radar', axes, legend, format });
    expect(plain.match(/<polygon/g)).toHaveLength(5 + 1);
    expect(texts(plain)).not.toContain('Before');
    const full = radarChart({
      title: 'Radar',
      axes: axes.map((a) => ({ ...a, previous: a.value - 10, peer: 50 })),
      legend,
      format,
    });
    expect(full.match(/<polygon/g)).toHaveLength(5 + 3);
    expect(texts(full)).toEqual(expect.arrayContaining(['Now', 'Before', 'Peers']));
    // Each axis is labelled with its formatted score.
    for (const a of axes) expect(texts(plain)).toContain(format(a.value));
  });

  it('puts a score of 100 on the outer ring and a missing one at the centre', () => {
    const svg = radarChart({
      title: 'R',
      axes: [{ label: 'Top', value: 100 }, { label: 'Gone', value: null }, ...axes.slice(2)],
      legend,
      format,
    });
    const current = /<polygon points="([^"]+)" fill="#1d5fa8"/.exec(svg)![1].split(' ');
    const outer = /<polygon points="([^"]+)" fill="none"/g;
    let ring100 = '';
    for (let m = outer.exec(svg); m; m = outer.exec(svg)) ring100 = m[1];
    expect(current[0]).toBe(ring100.split(' ')[0]);
    expect(current[1]).toBe('320,222');
    expect(texts(svg)).toContain('—');
  });

  it('draws the pyramid bottom-up, with raw and gated scores and the capping layer', () => {
    const layers = [3, 1, 2].map((layer) => ({
      layer,
      label: `Layer ${layer}`,
      raw: 70 - layer * 10,
      gated: layer === 3 ? 35 : 70 - layer * 10,
      solid: layer === 1,
      cappedByLayer: layer === 3 ? 2 : null,
    }));
    const svg = pyramidChart({
      title: 'P',
      layers,
      labels: { raw: 'Raw', gated: 'Gated', cappedBy: (n) => `capped by ${n}`, solid: 'solid', weak: 'weak' },
      format,
    });
    const bands = [...svg.matchAll(/<polygon points="[\d.]+,([\d.]+) /g)].map((m) => Number(m[1]));
    // Bands in layer order 1, 2, 3: each one's bottom edge higher up the page than the one below.
    expect(bands).toHaveLength(3);
    expect(bands[0]).toBeGreaterThan(bands[1]);
    expect(bands[1]).toBeGreaterThan(bands[2]);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['60.0', '50.0', '40.0', '35.0', 'capped by 2', 'solid']));
  });

  it('flags perception gaps in red and keeps the others grey', () => {
    const svg = perceptionGapChart({
      title: 'G',
      rows: [
        { label: 'Wide', executives: 80, others: 50, gap: 30, flagged: true },
        { label: 'Narrow', executives: 55, others: 50, gap: 5, flagged: false },
        { label: 'Nobody', executives: null, others: 40, gap: null, flagged: false },
      ],
      labels: { executives: 'Exec', others: 'Others', gap: 'Gap' },
      format,
    });
    expect(svg.match(/<line[^>]+stroke="#b42318"/g)).toHaveLength(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['30.0', '5.0', '—']));
  });

  it('shows confidence as steps and coverage as a bar', () => {
    const svg = confidenceChart({
      title: 'C',
      rows: [
        { label: 'A', confidence: 'HIGH', coverage: 1, respondents: 9 },
        { label: 'B', confidence: 'LOW', coverage: null, respondents: 0 },
      ],
      labels: {
        confidence: { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' },
        coverage: 'Coverage',
        respondents: (n) => `${n} resp.`,
      },
      formatPercent: (s) => `${Math.round(s * 100)}%`,
    });
    expect(texts(svg)).toEqual(expect.arrayContaining(['High', 'Low', '100% · 9 resp.', '— · 0 resp.']));
  });

  it('wraps labels on word boundaries and ends a cut one with an ellipsis', () => {
    expect(wrapLabel('Strategic approach led from the top', 20, 2)).toEqual(['Strategic approach', 'led from the top']);
    expect(wrapLabel('Customer-friendly rules, processes and systems', 20, 2)).toEqual([
      'Customer-friendly',
      'rules, processes…',
    ]);
    expect(wrapLabel('Short', 20, 2)).toEqual(['Short']);
    expect(wrapLabel('Averyveryverylongsingleword', 10, 1)).toEqual(['Averyvery…']);
  });
});

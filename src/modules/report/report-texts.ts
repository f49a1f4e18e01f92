/**
 * The report's own words in both languages (the framework's texts — dimension, level,
 * question and recommendation texts — come from the framework document), and the number
 * formats of each language.
 */
import type { ScoringSettings } from '../../scoring';
import { Locale } from '../reference/reference.types';

/** Every fixed text of the report, in one language. */
export interface ReportTexts {
  htmlLang: string;
  reportTitle: string;
  provisional: string;
  provisionalNote: string;
  organisation: string;
  assessment: string;
  framework: string;
  closedAt: string;
  computedAt: string;
  respondents: (n: number) => string;
  overallHeading: string;
  overallScore: string;
  level: string;
  uncappedLevel: string;
  knockoutCapNote: (cap: string) => string;
  elementsHeading: string;
  radarTitle: string;
  current: string;
  previous: (date: string) => string;
  peerMedian: string;
  dimension: string;
  score: string;
  change: string;
  timelineHeading: string;
  pyramidHeading: string;
  pyramidTitle: string;
  pyramidSummary: (height: number, total: number) => string;
  firstWeakLayer: (layer: number, title: string, tolerance: number) => string;
  noWeakLayer: string;
  layer: string;
  raw: string;
  gated: string;
  cappedBy: (layer: number) => string;
  solid: string;
  weak: string;
  knockoutsHeading: string;
  noKnockouts: string;
  knockoutCaps: (level: number) => string;
  gapHeading: string;
  gapTitle: string;
  gapIntro: (threshold: string) => string;
  executives: string;
  others: string;
  gap: string;
  confidenceHeading: string;
  confidenceTitle: string;
  confidence: Record<'HIGH' | 'MEDIUM' | 'LOW', string>;
  coverage: string;
  respondentsShort: (n: number) => string;
  roadmapHeading: string;
  noRecommendations: string;
  tier: Record<'CRITICAL' | 'FOUNDATION' | 'IMPROVEMENT' | 'DEFERRED', string>;
  horizon: Record<'QUICK_WIN' | 'DAYS_90' | 'YEAR_1', string>;
  firstActions: string;
  evidence: string;
  target: string;
  benchmarkHeading: string;
  benchmarkCohort: (scope: 'OWN_FIRM' | 'SHARED_POOL', n: number) => string;
  benchmarkWithheld: (k: number) => string;
  benchmarkNone: string;
  percentile: string;
  median: string;
  p25p75: string;
  methodHeading: string;
  method: (s: ScoringSettings, k: number) => string;
  figuresHeading: string;
  download: string;
  otherLanguage: string;
  page: (n: number) => string;
  notFoundTitle: string;
  notFound: string;
  goneTitle: string;
  expired: string;
  revoked: string;
  unauthenticatedTitle: string;
  unauthenticated: string;
  noResultTitle: string;
  noResult: string;
}

const EN: ReportTexts = {
  htmlLang: 'en',
  reportTitle: 'Service maturity report',
  provisional: 'Provisional',
  provisionalNote:
    'The assessment is still open: these figures are computed live from the responses submitted so far and will change. The final report is the one stored when the assessment closes.',
  organisation: 'Organisation',
  assessment: 'Assessment',
  framework: 'Framework',
  closedAt: 'Closed',
  computedAt: 'Computed',
  respondents: (n) => `${n} respondent${n === 1 ? '' : 's'}`,
  overallHeading: 'Where you stand',
  overallScore: 'Overall score',
  level: 'Maturity level',
  uncappedLevel: 'Level without the knockout cap',
  knockoutCapNote: (cap) => `A knockout answer caps the overall level at ${cap}.`,
  elementsHeading: 'The six elements',
  radarTitle: 'Scores of the six elements (0–100)',
  current: 'This assessment',
  previous: (date) => `Previous (${date})`,
  peerMedian: 'Peer median',
  dimension: 'Dimension',
  score: 'Score',
  change: 'Change',
  timelineHeading: 'Over time',
  pyramidHeading: 'The service-thinking pyramid',
  pyramidTitle: 'Pyramid layers, bottom-up: raw and gated scores',
  pyramidSummary: (height, total) => `The pyramid stands ${height} of ${total} layers high.`,
  firstWeakLayer: (layer, title, tolerance) =>
    `The first weak layer is ${layer}: ${title}. No layer above it can stand more than ${tolerance} points above it.`,
  noWeakLayer: 'Every layer is solid.',
  layer: 'Layer',
  raw: 'Raw',
  gated: 'Gated',
  cappedBy: (layer) => `capped by layer ${layer}`,
  solid: 'solid',
  weak: 'weak',
  knockoutsHeading: 'Knockouts',
  noKnockouts: 'No knockout answer: nothing caps the levels.',
  knockoutCaps: (level) => `caps the level at ${level}`,
  gapHeading: 'How executives see it, and everyone else',
  gapTitle: 'Executives against everyone else, per dimension',
  gapIntro: (threshold) =>
    `Gaps of ${threshold} points or more are flagged (in red): leaders and staff see that area differently.`,
  executives: 'Executives',
  others: 'Everyone else',
  gap: 'Gap',
  confidenceHeading: 'How sure these figures are',
  confidenceTitle: 'Confidence per dimension',
  confidence: { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' },
  coverage: 'Coverage of the questions',
  respondentsShort: (n) => `${n} resp.`,
  roadmapHeading: 'What to do first',
  noRecommendations: 'No recommendation: every question is above the threshold.',
  tier: { CRITICAL: 'Critical', FOUNDATION: 'Foundation', IMPROVEMENT: 'Improvement', DEFERRED: 'Later' },
  horizon: { QUICK_WIN: 'Quick win', DAYS_90: '90 days', YEAR_1: 'Within a year' },
  firstActions: 'First actions',
  evidence: 'Evidence',
  target: 'target',
  benchmarkHeading: 'Against peers',
  benchmarkCohort: (scope, n) =>
    `${scope === 'SHARED_POOL' ? 'Cohort: organisations in the shared, anonymous pool' : "Cohort: your firm's other client organisations"} on this framework (${n} with an overall score), each through its latest closed assessment.`,
  benchmarkWithheld: (k) => `withheld (fewer than ${k} peers)`,
  benchmarkNone: 'Benchmarks are shown for closed assessments only.',
  percentile: 'Percentile',
  median: 'Median',
  p25p75: '25th–75th',
  methodHeading: 'Method',
  method: (s, k) =>
    `Respondents answer weighted questions; each answer becomes a 0–100 score, and each question's score is the weighted mean over respondents (role weights apply). A dimension's score is the weighted mean of its questions, the overall score the weighted mean of the six elements, and levels follow from the framework's level bounds. A knockout question scored below its threshold caps its dimension and the overall level at level ${s.knockoutCapLevel}. Pyramid layers are read bottom-up: a layer is solid from ${s.solidThreshold} points, and a layer may exceed a weak layer below it by at most ${s.gateTolerance} points (its gated score). A perception gap is flagged from ${s.perceptionGapThreshold} points between executives and everyone else. Recommendations come from questions below ${s.recommendationThreshold} points, ordered by tier and priority. Benchmarks compare anonymous cohorts and are withheld below ${k} organisations. Every figure here is the stored result, rounded to one decimal (benchmarks to whole points).`,
  figuresHeading: 'All figures',
  download: 'Download PDF',
  otherLanguage: 'По-русски',
  page: (n) => `Page ${n}`,
  notFoundTitle: 'Report not found',
  notFound: 'There is no report at this address, or this link does not open it.',
  goneTitle: 'This link no longer opens the report',
  expired: 'The share link has expired. Ask the person who sent it for a new one.',
  revoked: 'The share link has been revoked. Ask the person who sent it for a new one.',
  unauthenticatedTitle: 'Sign-in needed',
  unauthenticated:
    'Open the report with a share link, or send an API key in the Authorization header ("Bearer <key>").',
  noResultTitle: 'No report yet',
  noResult: 'This assessment has no result: it is a draft or was cancelled.',
};

const RU: ReportTexts = {
  htmlLang: 'ru',
  reportTitle: 'Отчёт о зрелости сервиса',
  provisional: 'Предварительно',
  provisionalNote:
    'Оценка ещё открыта: цифры посчитаны по уже отправленным ответам и будут меняться. Итоговый отчёт — тот, что сохраняется при закрытии оценки.',
  organisation: 'Организация',
  assessment: 'Оценка',
  framework: 'Методика',
  closedAt: 'Закрыта',
  computedAt: 'Рассчитана',
  respondents: (n) => `${n} ${plural(n, 'респондент', 'респондента', 'респондентов')}`,
  overallHeading: 'Где вы сейчас',
  overallScore: 'Общая оценка',
  level: 'Уровень зрелости',
  uncappedLevel: 'Уровень без ограничения стоп-факторами',
  knockoutCapNote: (cap) => `Стоп-фактор ограничивает общий уровень уровнем «${cap}».`,
  elementsHeading: 'Шесть элементов',
  radarTitle: 'Оценки шести элементов (0–100)',
  current: 'Эта оценка',
  previous: (date) => `Предыдущая (${date})`,
  peerMedian: 'Медиана по группе сравнения',
  dimension: 'Измерение',
  score: 'Оценка',
  change: 'Изменение',
  timelineHeading: 'В динамике',
  pyramidHeading: 'Пирамида сервисного мышления',
  pyramidTitle: 'Уровни пирамиды снизу вверх: исходная и итоговая оценки',
  pyramidSummary: (height, total) => `Пирамида стоит на высоте ${height} из ${total} уровней.`,
  firstWeakLayer: (layer, title, tolerance) =>
    `Первый слабый уровень — ${layer}: ${title}. Уровни выше него не могут превышать его больше чем на ${tolerance} баллов.`,
  noWeakLayer: 'Все уровни прочные.',
  layer: 'Уровень',
  raw: 'Исходная',
  gated: 'Итоговая',
  cappedBy: (layer) => `ограничен уровнем ${layer}`,
  solid: 'прочный',
  weak: 'слабый',
  knockoutsHeading: 'Стоп-факторы',
  noKnockouts: 'Стоп-факторов нет: уровни ничем не ограничены.',
  knockoutCaps: (level) => `уровень не выше ${level}`,
  gapHeading: 'Как видят руководители и все остальные',
  gapTitle: 'Руководители и все остальные, по измерениям',
  gapIntro: (threshold) =>
    `Разрывы от ${threshold} баллов выделены красным: руководство и сотрудники видят эту область по-разному.`,
  executives: 'Руководители',
  others: 'Все остальные',
  gap: 'Разрыв',
  confidenceHeading: 'Насколько надёжны цифры',
  confidenceTitle: 'Надёжность по измерениям',
  confidence: { HIGH: 'Высокая', MEDIUM: 'Средняя', LOW: 'Низкая' },
  coverage: 'Охват вопросов',
  respondentsShort: (n) => `${n} респ.`,
  roadmapHeading: 'С чего начать',
  noRecommendations: 'Рекомендаций нет: все вопросы выше порога.',
  tier: { CRITICAL: 'Критично', FOUNDATION: 'Фундамент', IMPROVEMENT: 'Улучшение', DEFERRED: 'Позже' },
  horizon: { QUICK_WIN: 'Быстрая победа', DAYS_90: '90 дней', YEAR_1: 'В течение года' },
  firstActions: 'Первые шаги',
  evidence: 'Основание',
  target: 'цель',
  benchmarkHeading: 'В сравнении с другими',
  benchmarkCohort: (scope, n) =>
    `${scope === 'SHARED_POOL' ? 'Группа сравнения: организации общего анонимного пула' : 'Группа сравнения: другие клиенты вашей фирмы'} по этой методике (${n} с общей оценкой), каждая по последней закрытой оценке.`,
  benchmarkWithheld: (k) => `скрыто (меньше ${k} организаций)`,
  benchmarkNone: 'Сравнение показывается только для закрытых оценок.',
  percentile: 'Процентиль',
  median: 'Медиана',
  p25p75: '25–75-й',
  methodHeading: 'Методика расчёта',
  method: (s, k) =>
    `Респонденты отвечают на взвешенные вопросы; каждый ответ переводится в оценку от 0 до 100, оценка вопроса — взвешенное среднее по респондентам (с весами ролей). Оценка измерения — взвешенное среднее его вопросов, общая оценка — взвешенное среднее шести элементов, уровни определяются границами уровней методики. Вопрос-стоп-фактор с оценкой ниже порога ограничивает своё измерение и общий уровень уровнем ${s.knockoutCapLevel}. Пирамида читается снизу вверх: уровень прочный от ${s.solidThreshold} баллов, и уровень может превышать слабый уровень под ним не более чем на ${s.gateTolerance} баллов (итоговая оценка). Разрыв восприятия отмечается от ${s.perceptionGapThreshold} баллов между руководителями и остальными. Рекомендации строятся по вопросам ниже ${s.recommendationThreshold} баллов, по приоритету. Сравнение идёт с анонимными группами и скрывается, если в группе меньше ${k} организаций. Все цифры — сохранённый результат, округлённый до десятых (сравнение — до целых).`,
  figuresHeading: 'Все цифры',
  download: 'Скачать PDF',
  otherLanguage: 'In English',
  page: (n) => `Стр. ${n}`,
  notFoundTitle: 'Отчёт не найден',
  notFound: 'По этому адресу отчёта нет, или эта ссылка его не открывает.',
  goneTitle: 'Ссылка больше не открывает отчёт',
  expired: 'Срок действия ссылки истёк. Попросите отправителя прислать новую.',
  revoked: 'Ссылка отозвана. Попросите отправителя прислать новую.',
  unauthenticatedTitle: 'Нужен вход',
  unauthenticated:
    'Откройте отчёт по ссылке-приглашению или передайте ключ API в заголовке Authorization ("Bearer <ключ>").',
  noResultTitle: 'Отчёта пока нет',
  noResult: 'У этой оценки нет результата: это черновик или она отменена.',
};

function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/** The report's texts in `locale`. */
export function reportTexts(locale: Locale): ReportTexts {
  return locale === Locale.RU ? RU : EN;
}

/** How the report writes numbers and dates in one language. */
export interface ReportFormats {
  /** A score to one decimal (the API's rounded figure); "—" for null. */
  score: (value: number | null) => string;
  /** A signed change to one decimal. */
  change: (value: number | null) => string;
  /** A whole number (benchmark figures). */
  whole: (value: number | null) => string;
  percent: (share: number) => string;
  date: (value: Date) => string;
}

/** The number and date formats of `locale`: decimal comma in Russian, decimal point in English. */
export function reportFormats(locale: Locale): ReportFormats {
  const tag = locale === Locale.RU ? 'ru-RU' : 'en-GB';
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
  const signed = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
    signDisplay: 'exceptZero',
  });
  const whole = new Intl.NumberFormat(tag, { maximumFractionDigits: 0, useGrouping: false });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  // Intl writes a minus as U+2212 in Russian; one hyphen-minus keeps figures easy to copy and parse.
  const minus = (s: string) => s.replace(/\u2212/g, '-');
  return {
    score: (v) => (v === null || v === undefined ? '—' : minus(one.format(v))),
    change: (v) => (v === null || v === undefined ? '—' : minus(signed.format(v))),
    whole: (v) => (v === null || v === undefined ? '—' : minus(whole.format(v))),
    percent: (s) => percent.format(s).replace(/\u00a0/g, ' '),
    date: (d) => date.format(d),
  };
}

/**
 * HTTP routes of the report: `GET /reports/<assessmentId>?locale=ru|en` answers the HTML page,
 * or the PDF with `Accept: application/pdf` or at `/reports/<assessmentId>.pdf`. Opened with
 * an API key (`Authorization: Bearer <key>`) or a share link's `token`. Refusals are plain
 * pages that say nothing about the report: 401 without credentials, 404 for an assessment that
 * is not the caller's (or a token that does not open it), 410 for an expired or revoked link.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '../firm/auth';
import type { RequestContext } from '../../graphql/context';
import { AppError } from '../../graphql/errors';
import type { Principal } from '../firm/api-key.service';
import { Locale } from '../reference/reference.types';
import { renderMessagePage, renderReportHtml } from './report-html';
import { reportTexts } from './report-texts';
import { getReport, reportPath, resolveShareToken } from './report.service';

const HEADERS = {
  'cache-control': 'private, no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
  // Everything is inline: no script, no external resource, not framed by other sites.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  vary: 'Accept, Authorization',
};

/** Replaces secrets in a URL's query (share-link tokens) before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

// pdfkit and its font engine take about half a second to load: only when a PDF is asked for.
let pdfRenderer: Promise<typeof import('./report-pdf')> | null = null;
const loadPdfRenderer = () => (pdfRenderer ??= import('./report-pdf'));

interface ReportQuery {
  locale?: string;
  token?: string;
}

function wantsPdf(request: FastifyRequest, pathPdf: boolean): boolean {
  if (pathPdf) return true;
  const accept = request.headers.accept ?? '';
  // PDF when the client names it before (or without) HTML.
  const pdf = accept.indexOf('application/pdf');
  const html = accept.indexOf('text/html');
  return pdf >= 0 && (html < 0 || pdf < html);
}

/** Registers the report routes on the server. */
export function registerReportRoutes(
  app: FastifyInstance,
  contextOf: (request: FastifyRequest) => RequestContext,
): void {
  app.get<{ Params: { id: string }; Querystring: ReportQuery }>('/reports/:id', async (request, reply) => {
    const raw = request.params.id;
    const pathPdf = raw.toLowerCase().endsWith('.pdf');
    const assessmentId = pathPdf ? raw.slice(0, -4) : raw;
    const localeParam = typeof request.query.locale === 'string' ? request.query.locale.toLowerCase() : 'en';
    const token = typeof request.query.token === 'string' ? request.query.token : undefined;
    const pageTexts = reportTexts(localeParam === 'ru' ? Locale.RU : Locale.EN);
    const message = (status: number, title: string, text: string) =>
      reply
        .code(status)
        .headers(HEADERS)
        .type('text/html; charset=utf-8')
        .send(renderMessagePage(pageTexts, title, text));
    if (localeParam !== 'en' && localeParam !== 'ru') {
      return message(
        400,
        'Bad request',
        `locale must be "ru" or "en", got ${JSON.stringify(request.query.locale).slice(0, 40)}.`,
      );
    }
    const locale = localeParam === 'ru' ? Locale.RU : Locale.EN;
    const ctx = contextOf(request);

    let principal: Principal;
    if (token !== undefined) {
      const access = await resolveShareToken(ctx, token, assessmentId);
      if (access.kind === 'not-found') return message(404, pageTexts.notFoundTitle, pageTexts.notFound);
      if (access.kind === 'expired') return message(410, pageTexts.goneTitle, pageTexts.expired);
      if (access.kind === 'revoked') return message(410, pageTexts.goneTitle, pageTexts.revoked);
      principal = access.principal;
    } else {
      try {
        principal = await authenticate(ctx);
      } catch {
        reply.header('www-authenticate', 'Bearer');
        return message(401, pageTexts.unauthenticatedTitle, pageTexts.unauthenticated);
      }
    }

    let model;
    try {
      model = await getReport(ctx, principal, assessmentId, locale);
    } catch (err) {
      const code = err instanceof AppError ? err.extensions.code : null;
      if (code === 'NOT_FOUND') return message(404, pageTexts.notFoundTitle, pageTexts.notFound);
      if (code === 'CONFLICT') return message(409, pageTexts.noResultTitle, pageTexts.noResult);
      request.log.error({ err }, 'report failed');
      return message(500, 'Error', `The report could not be produced (request ${request.id}).`);
    }
    if (wantsPdf(request, pathPdf)) {
      const { renderReportPdf } = await loadPdfRenderer();
      const pdf = await renderReportPdf(model);
      const day = (model.meta.closedAt ?? new Date()).toISOString().slice(0, 10);
      return reply
        .headers(HEADERS)
        .type('application/pdf')
        .header('content-disposition', `inline; filename="service-maturity-report-${day}-${locale}.pdf"`)
        .send(pdf);
    }
    const suffix = token !== undefined ? `&token=${encodeURIComponent(token)}` : '';
    const id = model.meta.assessmentId;
    const html = renderReportHtml(model, {
      pdf: `${reportPath(id, locale, 'pdf')}${suffix}`,
      otherLocale: `${reportPath(id, locale === Locale.RU ? Locale.EN : Locale.RU)}${suffix}`,
    });
    return reply.headers(HEADERS).type('text/html; charset=utf-8').send(html);
  });
}

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../../version';
import { readFirmLogo } from '../firm/firm.service';
import { logoPath, textColorOn } from '../firm/firm-branding';
import { pageAccess, type PageBranding } from './respondent-page.service';

/** The page's own files, served from public/respondent/ under this path. */
export const ASSET_PREFIX = '/assets/respondent/';
const ASSET_DIR = path.join(PROJECT_ROOT, 'public', 'respondent');
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
  version: string;
}

/** Reads the page's files once; each URL carries its content hash, so they are cached for ever. */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of fs.readdirSync(ASSET_DIR)) {
    const type = ASSET_TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(ASSET_DIR, name));
    assets.set(name, { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 16) });
  }
  return assets;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** The Content-Security-Policy of a page: everything from this server; framed only by itself and the firm's origins. */
export function pageCsp(embedOrigins: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...embedOrigins].join(' ')}`,
  ].join('; ');
}

function pageHeaders(reply: FastifyReply, embedOrigins: string[]): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', pageCsp(embedOrigins))
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-robots-tag', 'noindex, nofollow');
}

/** `ru` when the browser prefers Russian, else `en` (for the pages rendered without script). */
function preferredLanguage(request: FastifyRequest): 'ru' | 'en' {
  const header = request.headers['accept-language'];
  const first = typeof header === 'string' ? header.split(',')[0].trim().toLowerCase() : '';
  return first.startsWith('ru') ? 'ru' : 'en';
}

const ERROR_TEXTS = {
  expired: {
    en: {
      title: 'This link has expired',
      body: 'The link to this questionnaire is no longer valid. Ask the person who invited you for a new one.',
    },
    ru: {
      title: 'Срок действия ссылки истёк',
      body: 'Ссылка на эту анкету больше не действует. Попросите пригласившего вас прислать новую.',
    },
  },
  invalid: {
    en: {
      title: 'This link is not valid',
      body: 'The link is unknown or has been revoked. Check that you opened the whole link from your invitation, or ask the person who invited you for a new one.',
    },
    ru: {
      title: 'Ссылка недействительна',
      body: 'Такой ссылки нет или она отозвана. Проверьте, что открыли ссылку из приглашения целиком, или попросите пригласившего вас прислать новую.',
    },
  },
} as const;

function errorPage(kind: 'expired' | 'invalid', lang: 'ru' | 'en', css: string): string {
  const t = ERROR_TEXTS[kind][lang];
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(t.title)}</title><link rel="stylesheet" href="${css}"></head>
<body><main class="page notice-page" id="main"><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.body)}</p></main></body>
</html>
`;
}

function appPage(branding: PageBranding, assetUrl: (name: string) => string): string {
  const brand = branding.brandColor;
  const logo = branding.logoSha256 ? logoPath(branding.firmId, branding.logoSha256) : null;
  const brandAttrs = brand
    ? ` data-brand="${escapeHtml(brand)}" data-brand-text="${escapeHtml(textColorOn(brand))}"`
    : '';
  return `<!doctype html>
<html lang="en"${brandAttrs}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(branding.firmName)}</title>
<link rel="stylesheet" href="${assetUrl('page.css')}">
<script src="${assetUrl('page.js')}" defer></script></head>
<body>
<a class="skip-link" href="#main" id="skip-link">Skip to the questions</a>
<header class="brand-bar"><div class="brand-inner">${logo ? `<img class="brand-logo" src="${logo}" alt="${escapeHtml(branding.firmName)}">` : ''}<span class="brand-name"${logo ? ' aria-hidden="true"' : ''}>${escapeHtml(branding.firmName)}</span></div></header>
<main class="page" id="main" tabindex="-1"><p class="loading" id="loading">Loading… / Загрузка…</p>
<noscript><p>This page needs JavaScript. / Для этой страницы нужен JavaScript.</p></noscript></main>
</body>
</html>
`;
}

/**
 * Registers the respondent's page: `GET /r/<token>` (the page, or a page saying the link
 * expired or is not valid), its script and style, and the firms' logos.
 */
export function registerRespondentPage(app: FastifyInstance, dataSource: DataSource): void {
  const assets = loadAssets();
  const assetUrl = (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`The respondent page's ${name} is missing from ${ASSET_DIR}`);
    return `${ASSET_PREFIX}${name}?v=${asset.version}`;
  };
  // Fail at start, not on the first respondent, when a file is missing.
  assetUrl('page.js');
  const cssUrl = assetUrl('page.css');

  app.get<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
    const access = await pageAccess(dataSource, request.params.token);
    if (access.state === 'open')
      return pageHeaders(reply, access.branding.embedOrigins).send(appPage(access.branding, assetUrl));
    // A firm's portal that frames an expired link still shows the message; an unknown one is framed by no one.
    const origins = access.state === 'expired' ? access.embedOrigins : [];
    return pageHeaders(reply, origins)
      .code(access.state === 'expired' ? 410 : 404)
      .send(errorPage(access.state, preferredLanguage(request), cssUrl));
  });

  app.get<{ Params: { file: string } }>(`${ASSET_PREFIX}:file`, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.code(404).header('cache-control', 'no-store').send({ error: 'not found' });
    return reply
      .header('content-type', asset.type)
      .header('x-content-type-options', 'nosniff')
      .header(
        'cache-control',
        (request.query as { v?: string }).v === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
      .send(asset.body);
  });

  app.get<{ Params: { firmId: string; sha: string } }>('/logos/:firmId/:sha', async (request, reply) => {
    const { firmId, sha } = request.params;
    const logo =
      /^[0-9a-f-]{36}$/i.test(firmId) && /^[0-9a-f]{64}$/.test(sha)
        ? await readFirmLogo(dataSource, firmId, sha)
        : null;
    if (!logo) return reply.code(404).header('cache-control', 'no-store').send({ error: 'not found' });
    return reply
      .header('content-type', logo.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cross-origin-resource-policy', 'same-site')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(logo.bytes);
  });
}

import { createHash } from 'node:crypto';
import type { InputProblem } from '../../graphql/errors';
import { normaliseOrigin } from '../../http/origin';

/** At most this many origins may frame the respondent page. */
export const MAX_EMBED_ORIGINS = 20;
/** The largest logo accepted, in bytes (decoded). */
export const MAX_LOGO_BYTES = 256 * 1024;

/** The image types a logo may have (no SVG: it can carry script). */
export type LogoContentType = 'image/png' | 'image/jpeg' | 'image/webp';

/** A decoded, sniffed logo ready to store. */
export interface LogoImage {
  bytes: Buffer;
  contentType: LogoContentType;
  sha256: string;
}

/**
 * Normalises one embed origin to `https://host[:port]` (lower case, default port dropped):
 * a web origin as CORS takes it ({@link normaliseOrigin}), and https only, since a page that
 * frames the questionnaire must not be readable on the way. A problem message otherwise.
 */
export function normaliseEmbedOrigin(raw: string): { origin: string } | { problem: string } {
  const result = normaliseOrigin(raw);
  if ('problem' in result || !result.origin.startsWith('https://')) {
    return {
      problem:
        'must be an https origin such as https://portal.example.com (scheme, host and optional port; no path, query or wildcard)',
    };
  }
  return result;
}

/** Validates and normalises a list of embed origins (duplicates dropped, order kept). */
export function normaliseEmbedOrigins(raws: string[], path: string): { origins: string[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const origins: string[] = [];
  raws.forEach((raw, i) => {
    const result = normaliseEmbedOrigin(raw);
    if ('problem' in result) problems.push({ path: `${path}[${i}]`, message: result.problem });
    else if (!origins.includes(result.origin)) origins.push(result.origin);
  });
  if (origins.length > MAX_EMBED_ORIGINS) problems.push({ path, message: `at most ${MAX_EMBED_ORIGINS} origins` });
  return { origins, problems };
}

/** `#rgb` or `#rrggbb` as `#rrggbb` in lower case, or null when it is not a hex colour. */
export function normaliseHexColor(raw: string): string | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(raw.trim());
  if (!m) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return `#${hex.toLowerCase()}`;
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text on light brand colours: black, because with any lighter grey some colours fall below 4.5:1. */
export const DARK_TEXT = '#000000';

/**
 * The text colour for a brand colour: white or black, whichever contrasts more. One of
 * them always reaches at least 4.5:1 (WCAG AA for normal text), so every colour is usable.
 */
export function textColorOn(brandColor: string): string {
  return contrastRatio(brandColor, '#ffffff') >= contrastRatio(brandColor, DARK_TEXT) ? '#ffffff' : DARK_TEXT;
}

/** The image type of `bytes` by its signature, or null when it is not PNG, JPEG or WebP. */
export function sniffImageType(bytes: Buffer): LogoContentType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * Decodes a logo sent as base64 or as a `data:image/…;base64,` URL, checks its size and
 * sniffs its type from its bytes (a declared type must agree with them).
 */
export function decodeLogo(raw: string): { logo: LogoImage } | { problem: string } {
  let text = raw.trim();
  let declared: string | null = null;
  const dataUrl = /^data:([^;,]*)(;base64)?,/i.exec(text);
  if (dataUrl) {
    if (!dataUrl[2]) return { problem: 'a data URL must be base64 (data:image/png;base64,…)' };
    declared = dataUrl[1].toLowerCase();
    text = text.slice(dataUrl[0].length);
  }
  text = text.replace(/\s+/g, '');
  if (text === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1)
    return { problem: 'must be base64 of a PNG, JPEG or WebP image' };
  if (Math.floor((text.length * 3) / 4) > MAX_LOGO_BYTES + 3)
    return { problem: `the image is larger than ${MAX_LOGO_BYTES / 1024} KiB` };
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_LOGO_BYTES) return { problem: `the image is larger than ${MAX_LOGO_BYTES / 1024} KiB` };
  const contentType = sniffImageType(bytes);
  if (!contentType) return { problem: 'must be a PNG, JPEG or WebP image (SVG and other types are not accepted)' };
  if (declared !== null && declared !== contentType && !(declared === 'image/jpg' && contentType === 'image/jpeg')) {
    return { problem: `the data URL says ${declared || 'no type'} but the bytes are ${contentType}` };
  }
  return { logo: { bytes, contentType, sha256: createHash('sha256').update(bytes).digest('hex') } };
}

/** The path this server serves a firm's logo at (it changes with the image). */
export function logoPath(firmId: string, sha256: string): string {
  return `/logos/${firmId}/${sha256}`;
}

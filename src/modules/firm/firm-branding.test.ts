import fc from 'fast-check';
import {
  contrastRatio,
  decodeLogo,
  normaliseEmbedOrigin,
  normaliseHexColor,
  sniffImageType,
  textColorOn,
} from './firm-branding';

describe('firm branding', () => {
  it('chooses a text colour with at least 4.5:1 contrast on every brand colour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const color = `#${n.toString(16).padStart(6, '0')}`;
        expect(contrastRatio(color, textColorOn(color))).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 2000 },
    );
    expect(textColorOn('#ffd700')).toBe('#000000');
    expect(textColorOn('#1f4e79')).toBe('#ffffff');
  });

  it('normalises hex colours and refuses anything else', () => {
    expect(normaliseHexColor('#0AF')).toBe('#00aaff');
    expect(normaliseHexColor(' #1F6FEB ')).toBe('#1f6feb');
    for (const bad of ['blue', '#12345', '#1234567', 'rgb(0,0,0)', '#ggg']) expect(normaliseHexColor(bad)).toBeNull();
  });

  it('accepts only https origins without path, query or wildcard', () => {
    expect(normaliseEmbedOrigin('https://Portal.Example.com:443/')).toEqual({ origin: 'https://portal.example.com' });
    expect(normaliseEmbedOrigin('https://portal.example.com:8443')).toEqual({
      origin: 'https://portal.example.com:8443',
    });
    for (const bad of [
      'http://portal.example.com',
      'https://*.example.com',
      'https://x.example.com/p',
      'https://x.example.com?a',
      'https://u:p@x.example.com',
      'portal.example.com',
      "https://x.example.com 'unsafe-inline'",
    ]) {
      expect(normaliseEmbedOrigin(bad)).toHaveProperty('problem');
    }
  });

  it('sniffs PNG, JPEG and WebP and refuses SVG, a lying data URL and a large image', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(sniffImageType(png)).toBe('image/png');
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(decodeLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'))).toHaveProperty(
      'problem',
    );
    expect(decodeLogo(`data:image/jpeg;base64,${png.toString('base64')}`)).toEqual({
      problem: 'the data URL says image/jpeg but the bytes are image/png',
    });
    expect(decodeLogo(Buffer.concat([png, Buffer.alloc(300 * 1024)]).toString('base64'))).toEqual({
      problem: 'the image is larger than 256 KiB',
    });
    expect(decodeLogo('not base64!')).toHaveProperty('problem');
    const ok = decodeLogo(`data:image/png;base64,${png.toString('base64')}`);
    expect(ok).toHaveProperty('logo.contentType', 'image/png');
  });
});

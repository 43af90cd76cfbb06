import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { Resvg } from '@resvg/resvg-js';

export interface DecodedPng {
  width: number;
  height: number;
  /** RRGGBB of the pixel at (x, y). */
  colourAt(x: number, y: number): string;
  /** The QR code's text and symbol version, or null when no code is found. */
  qr: { data: string; version: number } | null;
}

export function decodePng(png: Buffer): DecodedPng {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const found = jsQR(pixels, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  return {
    width: image.width,
    height: image.height,
    colourAt: (x, y) => {
      const at = (Math.floor(y) * image.width + Math.floor(x)) * 4;
      return [0, 1, 2].map((i) => image.data[at + i].toString(16).padStart(2, '0')).join('').toUpperCase();
    },
    qr: found && { data: found.data, version: found.version },
  };
}

/** Width and height from a PNG's header (IHDR), without decoding its pixels. */
export const pngDimensions = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

/** Rasterises an SVG as a browser would (resvg), so an SVG QR code can be decoded like a PNG. */
export const rasteriseSvg = (svg: string): Buffer => Buffer.from(new Resvg(svg).render().asPng());

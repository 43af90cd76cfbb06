import { PNG } from 'pngjs';
import { PngRenderer, RenderQueueFull } from './png-renderer';

const options = { type: 'png' as const, errorCorrectionLevel: 'M' as const, margin: 2, width: 200 };

describe('PngRenderer', () => {
  it('renders the PNG the qrcode package would, on its worker', async () => {
    const png = PNG.sync.read(await new PngRenderer().render('https://hop.test/abc1234', options));
    expect([png.width, png.height]).toEqual([200, 200]);
  });

  it('refuses work beyond its queue bound instead of piling it up', async () => {
    const renderer = new PngRenderer(1);
    const first = renderer.render('https://hop.test/abc1234', options);
    await expect(renderer.render('https://hop.test/abc1234', options)).rejects.toBeInstanceOf(RenderQueueFull);
    await expect(first).resolves.toBeInstanceOf(Buffer);
    // Once the queue drained, it takes work again.
    await expect(renderer.render('https://hop.test/abc1234', options)).resolves.toBeInstanceOf(Buffer);
  });

  it('passes rendering errors on', async () => {
    await expect(new PngRenderer().render('', options)).rejects.toThrow();
  });
});

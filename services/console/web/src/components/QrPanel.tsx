import { useState } from 'react';
import { useI18n } from '../i18n';
import { formatNumber } from '../lib/format';
import { QR_DEFAULT_OPTIONS, QR_SIZES, qrFileName, qrImageUrl, type QrOptions } from '../lib/qr';

/**
 * A link's QR code as the redirector renders it (its /qrcode endpoint, on the short domain), with
 * size, colours and format to choose, and the image to download.
 */
export function QrPanel({ qrCode, shortUrl }: { qrCode: string; shortUrl: string }) {
  const { t, language } = useI18n();
  const [options, setOptions] = useState<QrOptions>(QR_DEFAULT_OPTIONS);
  const set = (change: Partial<QrOptions>) => setOptions({ ...options, ...change });
  const src = qrImageUrl(qrCode, options);
  return (
    <fieldset className="qr">
      <legend>{t('linkExtra.qr')}</legend>
      <div className="qr-body">
        <img src={src} alt={t('linkExtra.qrAlt', { url: shortUrl })} width={160} height={160} />
        <div>
          <div className="field">
            <label htmlFor="qr-size">{t('linkExtra.qrSize')}</label>
            <select id="qr-size" value={options.size} onChange={(e) => set({ size: Number(e.target.value) })}>
              {QR_SIZES.map((size) => (
                <option key={size} value={size}>
                  {t('linkExtra.qrPixels', { n: formatNumber(size, language) })}
                </option>
              ))}
            </select>
          </div>
          <div className="colours">
            <div className="field">
              <label htmlFor="qr-foreground">{t('linkExtra.qrForeground')}</label>
              <input id="qr-foreground" type="color" value={options.foreground} onChange={(e) => set({ foreground: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="qr-background">{t('linkExtra.qrBackground')}</label>
              <input id="qr-background" type="color" value={options.background} onChange={(e) => set({ background: e.target.value })} />
            </div>
          </div>
          <fieldset className="inline-choices">
            <legend>{t('linkExtra.qrFormat')}</legend>
            {(['svg', 'png'] as const).map((format) => (
              <label key={format}>
                <input type="radio" name="qr-format" checked={options.format === format} onChange={() => set({ format })} /> {format.toUpperCase()}
              </label>
            ))}
          </fieldset>
          {/* the image is on the short domain: browsers save it, or open it where they do not honour download across origins */}
          <a className="button" href={src} download={qrFileName(shortUrl, options)} target="_blank" rel="noreferrer">
            {t('linkExtra.qrDownload', { format: options.format.toUpperCase() })}
          </a>
        </div>
      </div>
    </fieldset>
  );
}

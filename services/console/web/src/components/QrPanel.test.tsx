import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../test/render';
import { QrPanel } from './QrPanel';

const QR = 'https://go.example.test/qrcode?u=spring';

describe('QrPanel', () => {
  it('shows the redirector’s QR code with the chosen size, colours and format, and downloads that image', async () => {
    const { user } = renderPage(<QrPanel qrCode={QR} shortUrl="https://go.example.test/spring" />);
    const image = () => new URL(screen.getByRole('img', { name: 'QR code of https://go.example.test/spring' }).getAttribute('src') ?? '');
    const download = () => screen.getByRole('link', { name: /^Download/ });
    expect(image().origin + image().pathname).toBe('https://go.example.test/qrcode');
    expect(image().searchParams.get('u')).toBe('spring');

    await user.selectOptions(screen.getByLabelText('Size'), '1024');
    // colour inputs have no typing: the browser's picker sets the value
    fireEvent.change(screen.getByLabelText('Foreground colour'), { target: { value: '#1d4ed8' } });
    fireEvent.change(screen.getByLabelText('Background colour'), { target: { value: '#fafafa' } });
    await user.click(screen.getByRole('radio', { name: 'PNG' }));

    expect(Object.fromEntries(image().searchParams)).toEqual({ u: 'spring', size: '1024', foreground: '1D4ED8', background: 'FAFAFA', format: 'png' });
    expect(download()).toHaveTextContent('Download PNG');
    expect(download()).toHaveAttribute('href', image().toString());
    expect(download()).toHaveAttribute('download', 'spring-1024.png');
  });
});

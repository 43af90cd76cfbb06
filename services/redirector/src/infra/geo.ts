import type http from 'node:http';
import type { Geo } from '../app/ports';
import { memoise } from '../domain/memo';

export interface GeoSettings {
  /** Trusted header with the visitor's country (set by the CDN); empty = offline GeoIP lookup. */
  countryHeader: string;
  cityHeader: string;
}

type Lookup = (ip: string) => { country: string; city: string } | null;

const headerValue = (req: http.IncomingMessage, name: string): string | null => {
  if (!name) return null;
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || null;
};

const COUNTRY = /^[A-Z]{2}$/;

/**
 * Resolves a visitor's country (ISO alpha-2, upper case) and city: from the trusted header when one
 * is configured, else from geoip-lite's offline database (loaded once, only in that case). The
 * service images ship its country files only (scripts/docker/deploy-service.sh): there the offline
 * lookup gives no city.
 */
export function createGeoLocator(settings: GeoSettings): (req: http.IncomingMessage, ip: string | null) => Geo {
  if (settings.countryHeader) {
    return (req) => {
      const country = headerValue(req, settings.countryHeader)?.toUpperCase() ?? null;
      const city = headerValue(req, settings.cityHeader);
      return { country: country && COUNTRY.test(country) ? country : null, city: city ? decodeCity(city) : null };
    };
  }
  // Required lazily: its data (≈150 MB in memory with the city files) is only needed without a trusted header.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load the database in every case
  const { lookup } = require('geoip-lite') as { lookup: Lookup };
  const locate = memoise((ip): Geo => {
    const hit = lookup(ip);
    return { country: hit?.country || null, city: hit?.city || null };
  });
  return (_req, ip) => (ip ? locate(ip) : { country: null, city: null });
}

// CDNs send non-ASCII city names percent-encoded (e.g. Cloudflare's cf-ipcity).
function decodeCity(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

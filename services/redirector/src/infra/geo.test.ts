import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const noHeaders = { headers: {} } as http.IncomingMessage;

/**
 * The service images ship geoip-lite's country files only (scripts/docker/deploy-service.sh): the
 * lookup must still give the country of IPv4 and IPv6 addresses from them, with no city.
 */
describe('createGeoLocator on the country data alone (what the redirector image ships)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'geoip-country-'));
  const shipped = path.join(path.dirname(require.resolve('geoip-lite/package.json')), 'data');
  let locate: ReturnType<typeof import('./geo').createGeoLocator>;

  beforeAll(() => {
    const countryFiles = fs.readdirSync(shipped).filter((f) => /^geoip-country6?\.dat$/.test(f));
    expect(countryFiles.sort()).toEqual(['geoip-country.dat', 'geoip-country6.dat']);
    for (const file of countryFiles) fs.copyFileSync(path.join(shipped, file), path.join(dataDir, file));
    // geoip-lite reads GEODATADIR when it is loaded: load it afresh, pointed at the country files.
    process.env.GEODATADIR = dataDir;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module (and of geoip-lite, reading GEODATADIR) needs a require inside isolateModules
      const { createGeoLocator } = require('./geo') as typeof import('./geo');
      locate = createGeoLocator({ countryHeader: '', cityHeader: '' });
    });
  });
  afterAll(() => {
    delete process.env.GEODATADIR;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the country of IPv4 and IPv6 addresses, no city', () => {
    expect(locate(noHeaders, '81.2.69.160')).toEqual({ country: 'GB', city: null }); // a GeoLite2 test address
    expect(locate(noHeaders, '8.8.8.8')).toEqual({ country: 'US', city: null });
    expect(locate(noHeaders, '2001:4860:4860::8888')).toEqual({ country: 'US', city: null });
  });

  it('knows nothing of private or missing addresses', () => {
    expect(locate(noHeaders, '10.1.2.3')).toEqual({ country: null, city: null });
    expect(locate(noHeaders, null)).toEqual({ country: null, city: null });
  });
});

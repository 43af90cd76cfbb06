import { bootService, runMain } from '@hop/runtime';
import { loadConsoleConfig, type ConsoleConfig } from './config';
import { consoleSite, staticDirReadiness } from './http/static-site';

export function start(config: ConsoleConfig) {
  return bootService({
    name: config.service,
    server: config.server,
    // pages are public: the browser's API calls go through the gateway, which checks the session
    internalProof: false,
    jsonLimit: false,
    build: () => ({
      routes: (app) => app.use('/app', consoleSite(config.staticDir)),
      readiness: { build: staticDirReadiness(config.staticDir) },
    }),
  });
}

if (require.main === module) runMain(() => loadConsoleConfig(), start);

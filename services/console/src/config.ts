import path from 'node:path';
import { Joi, loadServiceConfig } from '@hop/config';

/** The console's static server: no database, Redis or Kafka; it serves the single-page app under /app. */
export const loadConsoleConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'console', port: 4007, redis: false, kafka: false },
    {
      // the Vite build (scripts/build-web.js), found from src/ (tests) and dist/ alike
      CONSOLE_STATIC_DIR: Joi.string().default(path.resolve(__dirname, '..', 'dist', 'public')),
    },
    (v) => ({ staticDir: v.CONSOLE_STATIC_DIR as string }),
    environment,
  );

export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>;

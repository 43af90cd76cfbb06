import type { DataSource } from '@hop/db';
import type { OutboxRelay } from '@hop/events';
import { presentLink, type Link } from '../domain/link';
import type { PasswordCipher } from '../domain/password-cipher';
import type { LinkStore } from '../infra/link-store';
import type { ReferenceLookup } from '../infra/reference-lookup';
import type { RouteCache } from '../infra/route-cache';

/** What the use cases work with (wired in main.ts). */
export interface LinkDeps {
  db: DataSource;
  store: LinkStore;
  routes: RouteCache;
  references: ReferenceLookup;
  cipher: PasswordCipher;
  /** Asked to publish right after a commit that enqueued events. */
  relay?: OutboxRelay;
  shortBaseUrl: string;
}

/** The API's link object for a stored link. */
export const present = (deps: LinkDeps, link: Link) => presentLink(link, deps.shortBaseUrl, (cipher) => deps.cipher.decrypt(cipher));

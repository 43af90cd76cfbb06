import type { DataSource } from '@hop/db';
import type { OutboxRelay } from '@hop/events';
import { presentLink, type Link, type ShortUrlBases } from '../domain/link';
import type { PasswordCipher } from '../domain/password-cipher';
import type { DomainStore } from '../infra/domain-store';
import type { TxtLookup } from '../infra/dns-txt';
import type { LinkStore } from '../infra/link-store';
import type { ReferenceLookup } from '../infra/reference-lookup';
import type { DomainCache, RouteCache } from '../infra/route-cache';

/** Renders QR codes (PNG data URLs) of texts, in their order, away from the request thread. */
export interface QrCodes {
  dataUrls(texts: string[]): Promise<string[]>;
}

/** What the use cases work with (wired in main.ts). */
export interface LinkDeps {
  db: DataSource;
  store: LinkStore;
  routes: RouteCache;
  references: ReferenceLookup;
  cipher: PasswordCipher;
  /** Asked to publish right after a commit that enqueued events. */
  relay?: OutboxRelay;
  bases: ShortUrlBases;
  domains: DomainStore;
  domainCache: DomainCache;
  txt: TxtLookup;
  /** Hosts no branded domain may take: the deployment's own (short links, API). */
  ownHosts: readonly string[];
  qrCodes: QrCodes;
}

/** The API's link object for a stored link. */
export const present = (deps: LinkDeps, link: Link) => presentLink(link, deps.bases, (cipher) => deps.cipher.decrypt(cipher));

import { presentLink, type Link } from '../domain/link';
import type { LinkDeps } from './ports';

/** The API's link object for a stored link. */
export const present = (deps: Pick<LinkDeps, 'bases' | 'cipher'>, link: Link) => presentLink(link, deps.bases, (cipher) => deps.cipher.decrypt(cipher));

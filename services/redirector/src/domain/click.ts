import type { ClickRecorded, ClickTrigger } from '@hop/events';
import type { Route } from './route';

export type { ClickTrigger };

/** What a handler knows about a counted click; the recorder adds the id, hashes the IP and stamps the time. */
export interface ClickInput {
  route: Route;
  /** Final destination URL (with hoko_id), or null when the click has no navigation (embed). */
  destination: string | null;
  trigger: ClickTrigger;
  qr: boolean;
  bot: boolean;
  referrer: string | null;
  userAgent: string | null;
  /** The visitor's IP as seen by the server; never stored: the recorder keeps only a keyed hash. */
  ip: string | null;
  country: string | null;
  city: string | null;
  visitorId: string | null;
  visitorSessionId?: string | null;
  /** utm_* parameters the visitor's own request carried. */
  requestUtm?: Record<string, string> | null;
  /** Preset when the destination already carries it as hoko_id; generated otherwise. */
  clickId?: string;
}

/** The `click.recorded` event data (clicks.v1) as the redirector sends it: every field set, workspaceId for the envelope. */
export type RecordedClick = Required<ClickRecorded>;

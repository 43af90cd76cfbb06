import type { Express, Request, Response } from 'express';
import Joi from 'joi';
import { validate } from '@hop/http';
import { followLiveClicks, type LiveClicksDeps } from '../app/live-clicks';
import type { LiveFilter } from '../domain/live';
import { clickView } from './click-view';

const liveSchema = Joi.object<LiveFilter>({
  linkId: Joi.string().guid(),
  partnerId: Joi.string().guid(),
  collectionId: Joi.string().guid(),
  includeBots: Joi.boolean().default(false),
});

/** A comment line often enough that no proxy or load balancer closes the stream as idle. */
export const HEARTBEAT_MS = 15_000;

/**
 * GET /api/analytics/live: server-sent events, one `click` event per click stored from now on
 * (id = click id, data = the click as GET /api/analytics shows it). Headers are set before
 * subscribing, so a click delivered in the same tick as the subscription still goes out with them;
 * the client reconnects on its own after a drop (clicks stored meanwhile are on GET /api/analytics).
 */
export function liveRoute(deps: LiveClicksDeps) {
  return (app: Express) => {
    app.get('/api/analytics/live', async (req: Request, res: Response) => {
      const filter = validate(liveSchema, req.query);
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      // nginx and similar proxies buffer responses unless told not to
      res.setHeader('X-Accel-Buffering', 'no');
      let stop: () => void;
      try {
        stop = await followLiveClicks(deps, req.context.workspaceId, filter, (click) => {
          res.write(`event: click\nid: ${click.clickId}\ndata: ${JSON.stringify(clickView(click))}\n\n`);
        });
      } catch (err) {
        // the error goes out as JSON, as every other error does
        for (const name of ['Content-Type', 'Cache-Control', 'X-Accel-Buffering']) res.removeHeader(name);
        throw err;
      }
      // the browser reconnects after 2 s when the stream drops (EventSource's retry)
      res.write('retry: 2000\n\n');
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      req.socket.setTimeout(0);
      res.on('close', () => {
        clearInterval(heartbeat);
        stop();
      });
    });
  };
}

import type { Express, Request, Response } from 'express';
import Joi from 'joi';
import { listQuery, sendList, validate } from '@hop/http';
import { parseIsoDate } from '../domain/iso-date';
import { GRANULARITIES, GROUP_BYS, INTERVALS } from '../domain/report';
import { findClick } from '../app/find-click';
import { listClicks, type ListClicksQuery } from '../app/list-clicks';
import type { AnalyticsPorts } from '../app/ports';
import { summarize, type SummaryQuery } from '../app/summarize';
import { clickView } from './click-view';

const isoDate = (endOfDay: boolean) =>
  Joi.string().custom((value: string, helpers) => {
    return parseIsoDate(value, endOfDay) ?? helpers.message({ custom: '{{#label}} must be an ISO 8601 date, e.g. 2024-01-01T00:00:00Z' });
  });

const filters = {
  linkId: Joi.string().guid(),
  partnerId: Joi.string().guid(),
  startDate: isoDate(false),
  endDate: isoDate(true),
  includeBots: Joi.boolean().default(false),
};

const listSchema = Joi.object<ListClicksQuery>({ ...filters, ...listQuery });

const summarySchema = (timeZones: ReadonlySet<string>) =>
  Joi.object<SummaryQuery>({
    ...filters,
    collectionId: Joi.string().guid(),
    groupBy: Joi.string().valid(...GROUP_BYS).default('count'),
    interval: Joi.string().valid(...INTERVALS),
    timezone: Joi.string()
      .custom((value: string, helpers) => (timeZones.has(value) ? value : helpers.message({ custom: '{{#label}} must be an IANA time zone, e.g. Europe/Paris' })))
      .default('UTC'),
    granularity: Joi.string().valid(...GRANULARITIES),
    take: Joi.number().integer().min(1).max(10_000).default(100),
  })
    .oxor('interval', 'startDate')
    .oxor('interval', 'endDate')
    .messages({ 'object.oxor': 'give either interval or startDate/endDate, not both' });

export function analyticsRoutes(deps: Pick<AnalyticsPorts, 'clicks' | 'rollups'>, timeZones: ReadonlySet<string>) {
  const summaryQuery = summarySchema(timeZones);
  return (app: Express) => {
    app.get('/api/analytics', async (req: Request, res: Response) => {
      const query = validate(listSchema, req.query);
      const { items, total } = await listClicks(deps, req.context.workspaceId, query);
      sendList(res, items.map(clickView), total);
    });

    app.get('/api/analytics/summary', async (req: Request, res: Response) => {
      const query = validate(summaryQuery, req.query);
      res.json(await summarize(deps, req.context.workspaceId, query));
    });

    app.get('/internal/clicks/:clickId', async (req: Request, res: Response) => {
      const click = await findClick(deps, req.context.workspaceId, String(req.params.clickId));
      res.json({ ...click, createdAt: click.createdAt.toISOString() });
    });
  };
}

import type { Express, NextFunction, Request, Response } from 'express';
import { DomainError } from '@hop/errors';
import { sendList, validate } from '@hop/http';
import type { Caller } from '../domain/model';
import type { ConversionPorts } from '../app/ports';
import { listCustomers } from '../app/list-customers';
import { trackLead, type TrackLeadInput } from '../app/track-lead';
import { trackSale, type TrackSaleInput } from '../app/track-sale';
import { assertSingleObject, customersQuery, idempotencyHeaders, trackLeadBody, trackSaleBody } from './schemas';

const callerOf = (req: Request): Caller => ({ workspaceId: req.context.workspaceId, requestId: req.requestId });

/** Customers are written only through tracking; other methods get 405 with the allowed ones. */
const onlyAllow = (allowed: string) => (_req: Request, res: Response, next: NextFunction) => {
  res.setHeader('Allow', allowed);
  next(new DomainError('METHOD_NOT_ALLOWED'));
};

export function conversionRoutes(deps: ConversionPorts) {
  return (app: Express) => {
    app
      .route('/api/track/lead')
      .post(async (req, res) => {
        assertSingleObject(req.body);
        const input = validate<TrackLeadInput>(trackLeadBody, req.body);
        res.status(201).json(await trackLead(deps, callerOf(req), input));
      })
      .all(onlyAllow('POST'));

    app
      .route('/api/track/sale')
      .post(async (req, res) => {
        assertSingleObject(req.body);
        const input = validate<TrackSaleInput>(trackSaleBody, req.body);
        const headers = validate<{ 'Idempotency-Key'?: string }>(idempotencyHeaders, { 'Idempotency-Key': req.get('idempotency-key') });
        const outcome = await trackSale(deps, callerOf(req), input, headers['Idempotency-Key']);
        if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
        res.status(201).json(outcome.body);
      })
      .all(onlyAllow('POST'));

    app
      .route('/api/customers')
      .get(async (req, res) => {
        const query = validate<{ id?: string[]; externalId?: string[]; take: number; skip: number; sort: 'asc' | 'desc' }>(
          customersQuery,
          req.query,
        );
        const { items, total } = await listCustomers(deps, callerOf(req), {
          ids: query.id,
          externalIds: query.externalId,
          take: query.take,
          skip: query.skip,
          sort: query.sort,
        });
        sendList(res, items, total);
      })
      .all(onlyAllow('GET'));
  };
}

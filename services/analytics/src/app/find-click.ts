import { DomainError } from '@hop/errors';
import { isUuid } from '../domain/uuid';
import type { ClickRef, ClickStore } from '../infra/click-store';

/** GET /internal/clicks/:clickId: a click of the calling workspace, for conversion attribution. */
export class FindClick {
  constructor(private readonly clicks: ClickStore) {}

  async execute(workspaceId: string, clickId: string): Promise<ClickRef> {
    const click = isUuid(workspaceId) ? await this.clicks.find(workspaceId, clickId) : null;
    if (!click) throw new DomainError('NOT_FOUND');
    return click;
  }
}

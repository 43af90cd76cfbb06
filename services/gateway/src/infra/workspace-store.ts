import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { PlanName } from '../domain/plans';
import type { Workspace, WorkspaceStore } from '../app/ports';
import { WorkspaceEntity } from './entities';

const toWorkspace = (e: WorkspaceEntity): Workspace => ({
  id: e.id,
  name: e.name,
  plan: e.plan as PlanName,
  rateLimitOverride: e.rateLimit,
  createdAt: e.createdAt,
});

export class PgWorkspaceStore implements WorkspaceStore {
  private readonly repo: Repository<WorkspaceEntity>;

  /** On the pool, or on a transaction's manager (a settings change and its audit entry commit together). */
  constructor(db: DataSource | EntityManager) {
    this.repo = db.getRepository(WorkspaceEntity);
  }

  async insert(w: Workspace, options: { ifAbsent?: boolean } = {}): Promise<void> {
    const query = this.repo
      .createQueryBuilder()
      .insert()
      .values({ id: w.id, name: w.name, plan: w.plan, rateLimit: w.rateLimitOverride, createdAt: w.createdAt });
    await (options.ifAbsent ? query.orIgnore() : query).execute();
  }

  async list(): Promise<Workspace[]> {
    return (await this.repo.find({ order: { createdAt: 'ASC' } })).map(toWorkspace);
  }

  async get(id: string): Promise<Workspace | null> {
    const found = await this.repo.findOneBy({ id });
    return found && toWorkspace(found);
  }

  async update(id: string, changes: Partial<Pick<Workspace, 'plan' | 'rateLimitOverride'>>): Promise<Workspace | null> {
    const values: Partial<WorkspaceEntity> = {};
    if (changes.plan !== undefined) values.plan = changes.plan;
    if (changes.rateLimitOverride !== undefined) values.rateLimit = changes.rateLimitOverride;
    const result = await this.repo.update({ id }, values);
    return result.affected ? this.get(id) : null;
  }
}

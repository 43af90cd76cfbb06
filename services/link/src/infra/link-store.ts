import type { LeftRoute, LinkCollectionEntry, LinkFilter, LinkPageRequest, LinkStore as LinkStorePort, Queryable, RouteAddress } from '../app/ports';
import { DomainError } from '@hop/errors';
import type { Link } from '../domain/link';
import { routeIdOf } from '../domain/link-key';
import { columnMapping, type Row } from './columns';
import { ROUTE_HELD, URL_INDEX_PREFIX } from './migrations';
import { uniqueViolation } from './unique-violation';

/** Column, Link field, PostgreSQL type — the one mapping between rows and links. */
const COLUMNS = [
  ['id', 'id', 'uuid'],
  ['workspace_id', 'workspaceId', 'uuid'],
  ['short_id', 'shortId', 'text'],
  ['domain_id', 'domainId', 'uuid'],
  ['domain', 'domain', 'text'],
  ['url', 'url', 'text'],
  ['title', 'title', 'text'],
  ['description', 'description', 'text'],
  ['image', 'image', 'text'],
  ['utm', 'utm', 'jsonb'],
  ['expires_at', 'expiresAt', 'timestamptz'],
  ['expired_url', 'expiredUrl', 'text'],
  ['password_cipher', 'passwordCipher', 'text'],
  ['password_hash', 'passwordHash', 'text'],
  ['cloaked', 'cloaked', 'boolean'],
  ['ios', 'ios', 'text'],
  ['android', 'android', 'text'],
  ['geo', 'geo', 'jsonb'],
  ['collection_id', 'collectionId', 'uuid'],
  ['external_id', 'externalId', 'text'],
  ['tenant_id', 'tenantId', 'text'],
  ['partner_id', 'partnerId', 'uuid'],
  ['redirect_type', 'redirectType', 'smallint'],
  ['active', 'active', 'boolean'],
  ['hide_referrer', 'hideReferrer', 'boolean'],
  ['params', 'params', 'jsonb'],
  ['social_title', 'socialTitle', 'text'],
  ['social_description', 'socialDescription', 'text'],
  ['social_image', 'socialImage', 'text'],
  ['tag_ids', 'tagIds', 'uuid[]'],
  ['created_at', 'createdAt', 'timestamptz'],
  ['updated_at', 'updatedAt', 'timestamptz'],
] as const satisfies readonly (readonly [string, keyof Link, string])[];

const SELECT_COLUMNS = [...COLUMNS.map(([column]) => column), 'deleted_at'].map((c) => `l.${c}`).join(', ');
/** Links serialised as they are (JSON field names) are read back as rows of these columns. */
const { recordType: RECORD_TYPE, recordFields: RECORD_FIELDS, fromRow: linkOf } = columnMapping<Link>(COLUMNS);

const fromRow = (row: Row): Link => ({ ...linkOf(row), deletedAt: row.deleted_at as Date | null });

/**
 * Links as one JSON parameter (read with json_to_recordset): a batch of any size is one statement,
 * whatever the bind-parameter limit, and the links serialise as they are, without row copies.
 */
const asRecordset = (links: Link[]) => JSON.stringify(links);

/** Escapes LIKE's wildcards so a URL is matched literally. */
const likePrefix = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The unique index's expression over a route (links_route). */
const ROUTE_OF_ROW = `(coalesce(domain, ''), short_id)`;

/**
 * A unique index the batch checks could not foresee (links of one batch swapping their external ids
 * or keys, or a concurrent writer) refused a write: the conflict as the domain names it.
 */
function conflictOf(err: unknown): unknown {
  const externalId = uniqueViolation(err, 'links_external_id');
  if (externalId !== null) return new DomainError('EXTERNAL_ID_TAKEN', { params: { ids: /=\([^,]+, (.*)\) already exists/.exec(externalId)?.[1] ?? '' } });
  const route = uniqueViolation(err, 'links_route');
  if (route === null) return err;
  const [domain, key] = /=\((.*), (.*)\) already exists/.exec(route)?.slice(1) ?? ['', ''];
  return new DomainError('KEY_TAKEN', { params: { keys: routeIdOf(domain || null, key) } });
}

/** Runs a write, turning unique violations into the domain's errors. */
async function writing<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw conflictOf(err);
  }
}

/** SQL over the links table; every method is scoped to a workspace except the route lookups (routes are per domain, not per workspace). */
/**
 * ORDER BY for a page of links; each order reads an index in order (seq breaks ties: links of one
 * batch share createdAt). URLs and keys compare byte by byte, whatever the database's collation:
 * the URL prefix index is text_pattern_ops (ordered by ~<~), the key index is COLLATE "C". Titles
 * are words people read, so they compare in the database's collation; links without a title come
 * last from A to Z (first from Z to A: the index read backwards).
 */
function orderOf(page: LinkPageRequest): string {
  const asc = page.sort === 'asc';
  const direction = asc ? 'ASC' : 'DESC';
  switch (page.orderBy) {
    case 'url': {
      const by = asc ? 'USING ~<~' : 'USING ~>~';
      return `left(l.url, ${URL_INDEX_PREFIX}) ${by}, l.url ${by}, l.seq ${direction}`;
    }
    case 'key':
      return `l.short_id COLLATE "C" ${direction}, l.seq ${direction}`;
    case 'title':
      return `l.title ${direction}, l.seq ${direction}`;
    case 'createdAt':
      return `l.created_at ${direction}, l.seq ${direction}`;
  }
}

export class LinkStore implements LinkStorePort {
  /** Serialises writes of one workspace (quota and external-id checks see committed state). */
  async lockWorkspace(q: Queryable, workspaceId: string): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(4001, hashtext($1))`, [workspaceId]);
  }

  async countLive(q: Queryable, workspaceId: string): Promise<number> {
    const [row] = await q.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM links WHERE workspace_id = $1 AND deleted_at IS NULL`, [workspaceId]);
    return row.n;
  }

  /** The workspace's live links among `ids`, locked for update. */
  async findLiveForUpdate(q: Queryable, workspaceId: string, ids: string[]): Promise<Link[]> {
    if (!ids.length) return [];
    const rows = await q.query<Row[]>(
      `SELECT ${SELECT_COLUMNS} FROM links l WHERE l.workspace_id = $1 AND l.id = ANY($2::uuid[]) AND l.deleted_at IS NULL FOR UPDATE`,
      [workspaceId, ids],
    );
    return rows.map(fromRow);
  }

  /** Live links of the workspace, other than `exceptIds`, that hold one of `externalIds`. */
  async externalIdHolders(q: Queryable, workspaceId: string, externalIds: string[], exceptIds: string[]): Promise<Set<string>> {
    if (!externalIds.length) return new Set();
    const rows: { external_id: string }[] = await q.query(
      `SELECT external_id FROM links
       WHERE workspace_id = $1 AND deleted_at IS NULL AND external_id = ANY($2::text[]) AND NOT (id = ANY($3::uuid[]))`,
      [workspaceId, externalIds, exceptIds],
    );
    return new Set(rows.map((r) => r.external_id));
  }

  /**
   * Route ids (see routeIdOf) among `routes` that links other than `exceptIds` hold (deleted ones
   * too on the default domain), in any workspace: the default domain is shared by every workspace.
   */
  async routeHolders(q: Queryable, routes: RouteAddress[], exceptIds: string[]): Promise<Set<string>> {
    if (!routes.length) return new Set();
    const rows: { domain: string | null; short_id: string }[] = await q.query(
      `SELECT domain, short_id FROM links
       WHERE (${ROUTE_HELD}) AND ${ROUTE_OF_ROW} IN (SELECT * FROM unnest($1::text[], $2::text[])) AND NOT (id = ANY($3::uuid[]))`,
      [routes.map((r) => r.domain ?? ''), routes.map((r) => r.key), exceptIds],
    );
    return new Set(rows.map((r) => routeIdOf(r.domain, r.short_id)));
  }

  /**
   * Inserts links in input order (their `seq` follows it); returns the route ids that were already
   * taken, whose links were not inserted (the caller retries random keys and refuses chosen ones).
   */
  async insert(q: Queryable, links: Link[]): Promise<Set<string>> {
    if (!links.length) return new Set();
    const columns = COLUMNS.map(([column]) => column).join(', ');
    const inserted: { domain: string | null; short_id: string }[] = await writing(q.query(
      `INSERT INTO links (${columns})
       SELECT ${RECORD_FIELDS} FROM ROWS FROM (json_to_recordset($1::json) AS (${RECORD_TYPE})) WITH ORDINALITY AS v(${RECORD_FIELDS}, ord)
       ORDER BY ord
       ON CONFLICT ((coalesce(domain, '')), short_id) WHERE ${ROUTE_HELD} DO NOTHING
       RETURNING domain, short_id`,
      [asRecordset(links)],
    ));
    const done = new Set(inserted.map((r) => routeIdOf(r.domain, r.short_id)));
    return new Set(links.map((l) => routeIdOf(l.domain, l.shortId)).filter((id) => !done.has(id)));
  }

  /** Writes every field of existing live links (the caller merged the changes). */
  async update(q: Queryable, workspaceId: string, links: Link[]): Promise<void> {
    if (!links.length) return;
    const assignments = COLUMNS.filter(([column]) => !['id', 'workspace_id', 'created_at'].includes(column))
      .map(([column, field]) => `${column} = v."${field}"`)
      .join(', ');
    await writing(q.query(
      `WITH changed AS (
         UPDATE links AS l SET ${assignments}
         FROM json_to_recordset($1::json) AS v(${RECORD_TYPE})
         WHERE l.id = v."id" AND l.workspace_id = $2 AND l.deleted_at IS NULL
         RETURNING l.id)
       SELECT count(*) FROM changed`,
      [asRecordset(links), workspaceId],
    ));
  }

  /** The primary key's order is the keyset: a page is one index range scan, stable under inserts. */
  async collectionsPage(q: Queryable, after: string | null, limit: number): Promise<LinkCollectionEntry[]> {
    const rows: { id: string; workspace_id: string; collection_id: string | null; updated_at: Date }[] = await q.query(
      `SELECT id, workspace_id, collection_id, updated_at FROM links
       WHERE $1::uuid IS NULL OR id > $1::uuid
       ORDER BY id LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, linkId: r.id, collectionId: r.collection_id, version: r.updated_at.getTime() }));
  }

  /** Soft-deletes the workspace's live links among `ids`; returns what was deleted with its new version. */
  async softDelete(q: Queryable, workspaceId: string, ids: string[], now: Date): Promise<LeftRoute[]> {
    const rows: { id: string; short_id: string; domain: string | null; updated_at: Date }[] = await q.query(
      `WITH deleted AS (
         UPDATE links SET deleted_at = $3, updated_at = GREATEST($3, updated_at + interval '1 millisecond')
         WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL
         RETURNING id, short_id, domain, updated_at)
       SELECT * FROM deleted`,
      [workspaceId, ids, now],
    );
    return rows.map((r) => ({ id: r.id, shortId: r.short_id, domain: r.domain, version: r.updated_at.getTime() }));
  }

  /** Removes a tag from the workspace's links; returns how many links changed. */
  async removeTag(q: Queryable, workspaceId: string, tagId: string, now: Date): Promise<number> {
    const [row] = await q.query<{ n: number }[]>(
      `WITH changed AS (
         UPDATE links SET tag_ids = array_remove(tag_ids, $2::uuid), updated_at = GREATEST($3, updated_at + interval '1 millisecond')
         WHERE workspace_id = $1 AND tag_ids @> ARRAY[$2::uuid]
         RETURNING id)
       SELECT count(*)::int AS n FROM changed`,
      [workspaceId, tagId, now],
    );
    return row.n;
  }

  /** One page of the workspace's live links and the total matching the filter. */
  async list(q: Queryable, workspaceId: string, filter: LinkFilter, page: LinkPageRequest): Promise<{ links: Link[]; total: number }> {
    const params: unknown[] = [workspaceId];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = ['l.workspace_id = $1', 'l.deleted_at IS NULL'];

    const anyOf = (
      [
        ['id', 'uuid', filter.ids],
        ['external_id', 'text', filter.externalIds],
        ['tenant_id', 'text', filter.tenantIds],
        ['partner_id', 'uuid', filter.partnerIds],
      ] as const
    )
      .filter(([, , values]) => values?.length)
      // IS NOT NULL: lets the planner use the partial tenant and partner indexes
      .map(([column, type, values]) => `(l.${column} IS NOT NULL AND l.${column} = ANY(${bind(values)}::${type}[]))`);
    if (anyOf.length) where.push(`(${anyOf.join(' OR ')})`);

    if (filter.url) {
      const { value, match } = filter.url;
      const indexed = `left(l.url, ${URL_INDEX_PREFIX})`;
      if (match === 'exact') where.push(`${indexed} = left(${bind(value)}, ${URL_INDEX_PREFIX})`, `l.url = ${bind(value)}`);
      else where.push(`${indexed} LIKE ${bind(likePrefix(value.slice(0, URL_INDEX_PREFIX)))}`, `l.url LIKE ${bind(likePrefix(value))}`);
    }
    if (filter.collectionIds?.length) where.push(`l.collection_id = ANY(${bind(filter.collectionIds)}::uuid[])`);
    if (filter.tagIds?.length) where.push(`l.tag_ids && ${bind(filter.tagIds)}::uuid[]`);
    if (filter.domain === null) where.push('l.domain IS NULL');
    else if (filter.domain !== undefined) where.push(`l.domain = ${bind(filter.domain)}`);

    const condition = where.join(' AND ');
    const countParams = [...params];
    const [rows, [{ total }]] = await Promise.all([
      q.query<Row[]>(
        `SELECT ${SELECT_COLUMNS} FROM links l WHERE ${condition}
         ORDER BY ${orderOf(page)} LIMIT ${bind(page.take)} OFFSET ${bind(page.skip)}`,
        params,
      ),
      q.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM links l WHERE ${condition}`, countParams),
    ]);
    return { links: rows.map(fromRow), total };
  }

  async findById(q: Queryable, workspaceId: string, id: string): Promise<Link | null> {
    const [row] = await q.query<(Row | undefined)[]>(`SELECT ${SELECT_COLUMNS} FROM links l WHERE l.workspace_id = $1 AND l.id = $2`, [workspaceId, id]);
    return row ? fromRow(row) : null;
  }

  /** The live link at a route, in any workspace: the redirector only knows the host and key. */
  async findLiveByRoute(q: Queryable, route: RouteAddress): Promise<Link | null> {
    const [row] = await q.query<(Row | undefined)[]>(
      `SELECT ${SELECT_COLUMNS} FROM links l WHERE coalesce(l.domain, '') = $1 AND l.short_id = $2 AND l.deleted_at IS NULL`,
      [route.domain ?? '', route.key],
    );
    return row ? fromRow(row) : null;
  }

  /** How many live links of the workspace are on each of these domains (absent: none). */
  async countLiveOnDomains(q: Queryable, workspaceId: string, domainIds: string[]): Promise<Map<string, number>> {
    if (!domainIds.length) return new Map();
    const rows: { domain_id: string; n: number }[] = await q.query(
      `SELECT domain_id, count(*)::int AS n FROM links
       WHERE workspace_id = $1 AND deleted_at IS NULL AND domain_id = ANY($2::uuid[]) GROUP BY domain_id`,
      [workspaceId, domainIds],
    );
    return new Map(rows.map((r) => [r.domain_id, r.n]));
  }
}

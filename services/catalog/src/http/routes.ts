import type { Express } from 'express';
import type { Collection, CollectionFields } from '../domain/collection';
import type { Tag, TagFields } from '../domain/tag';
import type { ResourceDefinition } from '../app/resource';
import { resourceRouter } from './resource-routes';
import { collectionSchemas, tagSchemas } from './schemas';
import { collectionView, tagView } from './views';

export function catalogRoutes(
  collections: ResourceDefinition<Collection, CollectionFields>,
  tags: ResourceDefinition<Tag, TagFields>,
): (app: Express) => void {
  return (app) => {
    app.use(resourceRouter({ path: 'collections', resource: collections, present: collectionView, ...collectionSchemas }));
    app.use(resourceRouter({ path: 'tags', resource: tags, present: tagView, ...tagSchemas }));
  };
}

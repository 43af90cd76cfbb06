import { newEvent } from '@hop/events';
import { newCollection, type Collection, type CollectionFields } from '../domain/collection';
import { newTag, type Tag, type TagFields } from '../domain/tag';
import type { ResourceAccess } from './ports';
import type { ResourceDefinition } from './resource';
import { assertUniqueTagNames } from './tag-names';

export const collectionResource = (access: ResourceAccess<Collection, CollectionFields>): ResourceDefinition<Collection, CollectionFields> => ({
  label: 'Collection',
  access,
  build: newCollection,
  // Links keep a deleted collection's id; the event lets consumers react if they need to.
  deletedEvent: (workspaceId, id) => newEvent('collection.deleted', workspaceId, { collectionId: id }),
});

export const tagResource = (access: ResourceAccess<Tag, TagFields>): ResourceDefinition<Tag, TagFields> => ({
  label: 'Tag',
  access,
  build: newTag,
  checkBatch: assertUniqueTagNames,
  // Tags are deleted for good; the link service drops them from its links on this event.
  deletedEvent: (workspaceId, id) => newEvent('tag.deleted', workspaceId, { tagId: id }),
});

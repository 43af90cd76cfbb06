import { DomainError } from '@hop/errors';

export const notFound = () => new DomainError('NOT_FOUND');

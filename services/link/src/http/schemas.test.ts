import { LinkItemSchemas } from './schemas';

const collectionId = '6f1c4b7e-9a52-4a4e-9a53-2f0c1d8e3b10';
const problems = (schemas: LinkItemSchemas, item: unknown) =>
  (schemas.of(item).validate(item, { abortEarly: false }).error?.details ?? []).map((d) => `${d.path.join('.')}: ${d.type}`);

describe('LinkItemSchemas', () => {
  const create = new LinkItemSchemas(false);
  const upsert = new LinkItemSchemas(true);

  it('requires url and collectionId to create, whatever keys the item has', () => {
    expect(problems(create, {})).toEqual(['url: any.required', 'collectionId: any.required']);
    expect(problems(create, { title: 't' })).toEqual(['url: any.required', 'collectionId: any.required']);
    expect(problems(upsert, { title: 't' })).toEqual(['url: any.required', 'collectionId: any.required']);
    expect(problems(create, { url: 'https://a.test', collectionId })).toEqual([]);
  });

  it('updates (PUT with id) need neither; POST items may not carry an id', () => {
    expect(problems(upsert, { id: collectionId, title: 't' })).toEqual([]);
    expect(problems(create, { id: collectionId, url: 'https://a.test', collectionId })).toEqual(['id: object.unknown']);
  });

  it('rejects unknown keys and bad values the same way for each key set it has compiled', () => {
    for (let i = 0; i < 3; i++) {
      expect(problems(create, { url: 'javascript:x', collectionId, nope: 1 })).toEqual(['url: link.httpUrl', 'nope: object.unknown']);
      expect(problems(create, { url: 'https://a.test', collectionId, geo: { XX: 'https://a.test' } })).toEqual(['geo: link.country']);
    }
  });

  it('converts expiresAt to a Date and strips read-only fields', () => {
    const item = { url: 'https://a.test', collectionId, expiresAt: '2026-12-31T23:59:00Z', shortUrl: 'x', createdAt: 'y' };
    const { value } = create.of(item).validate(item);
    expect(value).toEqual({ url: 'https://a.test', collectionId, expiresAt: new Date('2026-12-31T23:59:00Z') });
  });

  it('answers a non-object item with an object-type error', () => {
    expect(problems(create, 42)).toEqual([': object.base']);
    expect(problems(create, null)).toEqual([': object.base']);
  });
});

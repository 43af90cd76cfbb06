import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { batchOf, listQuery, validate } from './validation';

describe('validate', () => {
  it('names the item index and field of every problem in a batch', () => {
    const schema = batchOf(Joi.object({ url: Joi.string().uri().required(), title: Joi.string() }), 3);
    try {
      validate(schema, [{ url: 'https://a.b' }, { url: 'nope', title: 5 }]);
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details?.map((d) => [d.path, d.index, d.field])).toEqual([
        ['[1].url', 1, 'url'],
        ['[1].title', 1, 'title'],
      ]);
    }
  });

  it('applies list defaults and bounds', () => {
    const schema = Joi.object(listQuery);
    expect(validate(schema, {})).toEqual({ take: 50, skip: 0, sort: 'desc' });
    expect(validate(schema, { take: '10000' }).take).toBe(10_000);
    expect(() => validate(schema, { take: '10001' })).toThrow(DomainError);
    expect(() => validate(schema, { skip: '-1' })).toThrow(DomainError);
  });
});

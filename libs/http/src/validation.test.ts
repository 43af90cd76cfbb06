import Joi from 'joi';
import { DomainError } from '@hop/errors';
import { batchLimit, batchOf, listQuery, readBatch, validate } from './validation';

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


const item = Joi.object({ name: Joi.string().required() });

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected an error');
}

describe('batchLimit', () => {
  it("is the plan's bulk limit capped at 10,000", () => {
    expect(batchLimit(100)).toBe(100);
    expect(batchLimit(50_000)).toBe(10_000);
    expect(batchLimit(0)).toBe(10_000);
  });
});

describe('readBatch', () => {
  it('returns valid items', () => {
    expect(readBatch([{ name: 'a' }], item, 2)).toEqual([{ name: 'a' }]);
  });

  it('refuses an over-long array as BATCH_TOO_LARGE naming the limit', () => {
    const err = errorOf(() => readBatch([{ name: 'a' }, { name: 'b' }, {}], item, 2));
    expect(err.code).toBe('BATCH_TOO_LARGE');
    expect(err.options.params).toEqual({ max: 2 });
  });

  it.each([
    [{}, ''],
    [[], ''],
    [undefined, ''],
    [[{ name: 'a' }, { nam: 'b' }], '[1].name'],
  ])('refuses %p with a detail at %p', (body, path) => {
    const err = errorOf(() => readBatch(body, item, 5));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.details?.map((d) => d.path)).toContain(path);
  });
});

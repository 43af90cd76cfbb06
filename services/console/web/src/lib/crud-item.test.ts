import { describe, expect, it } from 'vitest';
import { crudItemOf, type CrudField } from './crud-item';

const fields: CrudField[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'email', label: 'Email', type: 'email' },
  { name: 'color', label: 'Colour', choices: [{ value: 'rose', label: 'Rose' }] },
];

describe('a catalog form’s API item', () => {
  it('leaves empty fields out on create', () => {
    expect(crudItemOf(fields, { name: ' VIP ', email: '', color: 'rose' }, null)).toEqual({ name: 'VIP', color: 'rose' });
  });

  it('clears an emptied optional field with null on update; an emptied name goes to the API to refuse', () => {
    expect(crudItemOf(fields, { name: '', email: ' ', color: '' }, 'id-1')).toEqual({ id: 'id-1', name: '', email: null });
  });
});

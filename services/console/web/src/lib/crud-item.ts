/** A field of a catalog page's create/edit form; with choices it is a <select> (always a value, never cleared). */
export interface CrudField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'tel';
  required?: boolean;
  maxLength?: number;
  choices?: { value: string; label: string }[];
}

/**
 * The API item for a form: on create, empty fields are left out; on update an emptied optional
 * field is sent as null, which clears it, and an emptied required one as it is, so the API's
 * "not allowed to be empty" shows at the field.
 */
export function crudItemOf(fields: CrudField[], values: Record<string, string>, id: string | null): Record<string, unknown> {
  const item: Record<string, unknown> = id ? { id } : {};
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (value !== '' || (id && field.required)) item[field.name] = value;
    else if (id && !field.choices) item[field.name] = null;
  }
  return item;
}

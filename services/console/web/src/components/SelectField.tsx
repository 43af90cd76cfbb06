import { useId, type SelectHTMLAttributes } from 'react';
import { describedBy, FieldNotes } from './Field';

export interface Choice {
  value: string;
  label: string;
}

/** A labelled <select> whose error (from the API, in the user's language) is announced and tied to it. */
export function SelectField({ label, error, hint, choices, ...select }: { label: string; error?: string; hint?: string; choices: Choice[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...select}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} error={error} hint={hint} />
    </div>
  );
}

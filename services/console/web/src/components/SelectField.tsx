import { useId, type SelectHTMLAttributes } from 'react';

export interface Choice {
  value: string;
  label: string;
}

/** A labelled <select> whose error (from the API, in the user's language) is announced and tied to it. */
export function SelectField({ label, error, choices, ...select }: { label: string; error?: string; choices: Choice[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...select}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {error && (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

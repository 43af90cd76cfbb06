import type { InputHTMLAttributes } from 'react';
import { Field } from './Field';

type Input = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

interface Column<R> {
  field: keyof R & string;
  label: string;
  input?: Input;
  /** A hint under the input for this row (e.g. a country code's name). */
  hint?: (row: R) => string | undefined;
}

/**
 * A list of two-input rows (geo targeting, query parameters) with add and remove buttons. Each
 * row's problem from the API is shown at its second input (`errorOf`); `otherErrors` are the
 * problems of the whole list or of rows no longer shown, listed under it.
 */
export function PairRows<R extends { [K in keyof R]: string }>({
  legend,
  rows,
  columns,
  blank,
  addLabel,
  removeLabel,
  errorOf,
  otherErrors,
  onChange,
}: {
  legend: string;
  rows: R[];
  columns: [Column<R>, Column<R>];
  blank: R;
  addLabel: string;
  removeLabel: (row: R, index: number) => string;
  errorOf: (row: R) => string | undefined;
  otherErrors: [string, string][];
  onChange: (rows: R[]) => void;
}) {
  const edit = (index: number, field: keyof R & string, value: string) => onChange(rows.map((r, i) => (i === index ? { ...r, [field]: value } : r)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div className="pair-row" key={index}>
          {columns.map((column, c) => (
            <Field
              key={column.field}
              label={column.label}
              dir="ltr"
              {...column.input}
              value={row[column.field]}
              hint={column.hint?.(row)}
              error={c === 1 ? errorOf(row) : undefined}
              onChange={(e) => edit(index, column.field, e.target.value)}
            />
          ))}
          <button type="button" className="danger" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {removeLabel(row, index)}
          </button>
        </div>
      ))}
      {otherErrors.map(([field, message]) => (
        <small key={field} className="field-error" role="alert">
          {message}
        </small>
      ))}
      <button type="button" onClick={() => onChange([...rows, blank])}>
        {addLabel}
      </button>
    </fieldset>
  );
}

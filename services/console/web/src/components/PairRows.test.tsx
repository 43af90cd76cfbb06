import { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PairRows } from './PairRows';

interface Row {
  name: string;
  value: string;
}

/** The rows as a form holds them: PairRows is controlled, its owner keeps the state. */
function Host({ initial, errors = {} }: { initial: Row[]; errors?: Record<string, string> }) {
  const [rows, setRows] = useState(initial);
  return (
    <>
      <PairRows
        legend="Query parameters"
        rows={rows}
        columns={[
          { field: 'name', label: 'Parameter name', hint: (row) => (row.name === 'ref' ? 'the referral' : undefined) },
          { field: 'value', label: 'Value', input: { maxLength: 20 } },
        ]}
        blank={{ name: '', value: '' }}
        addLabel="Add a parameter"
        removeLabel={(row, index) => `Remove parameter ${row.name || index + 1}`}
        errorOf={(row) => errors[`params.${row.name}`]}
        otherErrors={Object.entries(errors).filter(([field]) => !rows.some((row) => `params.${row.name}` === field))}
        onChange={setRows}
      />
      <output data-testid="rows">{JSON.stringify(rows)}</output>
    </>
  );
}

const rowsOf = () => JSON.parse(screen.getByTestId('rows').textContent ?? '[]') as Row[];

describe('PairRows', () => {
  it('adds rows, edits each field of its own row, and removes the row named by its button', async () => {
    const user = userEvent.setup({ delay: null });
    render(<Host initial={[{ name: 'ref', value: 'mail' }]} />);
    const group = screen.getByRole('group', { name: 'Query parameters' });
    expect(within(group).getByLabelText('Parameter name')).toHaveAccessibleDescription('the referral');

    await user.click(within(group).getByRole('button', { name: 'Add a parameter' }));
    const [, name] = within(group).getAllByLabelText('Parameter name');
    const [, value] = within(group).getAllByLabelText('Value');
    // the new row's inputs are labelled, left to right whatever the page's direction, and keep their limits
    expect([name.getAttribute('dir'), value.getAttribute('maxlength')]).toEqual(['ltr', '20']);
    await user.type(name, 'lang');
    await user.type(value, 'ar');
    expect(rowsOf()).toEqual([
      { name: 'ref', value: 'mail' },
      { name: 'lang', value: 'ar' },
    ]);

    await user.click(within(group).getByRole('button', { name: 'Remove parameter ref' }));
    expect(rowsOf()).toEqual([{ name: 'lang', value: 'ar' }]);
    // an unnamed row is named by its position
    await user.click(within(group).getByRole('button', { name: 'Add a parameter' }));
    expect(within(group).getByRole('button', { name: 'Remove parameter 2' })).toBeInTheDocument();
  });

  it('shows a row’s problem at its second input, and the others under the list', () => {
    render(
      <Host
        initial={[{ name: 'lang', value: 'x'.repeat(30) }]}
        errors={{ 'params.lang': 'length must be less than or equal to 2000 characters long', params: 'must have less than or equal to 50 keys' }}
      />,
    );
    const value = screen.getByLabelText('Value');
    expect(value).toHaveAttribute('aria-invalid', 'true');
    expect(value).toHaveAccessibleDescription('length must be less than or equal to 2000 characters long');
    expect(screen.getByLabelText('Parameter name')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByText('must have less than or equal to 50 keys')).toHaveAttribute('role', 'alert');
  });
});

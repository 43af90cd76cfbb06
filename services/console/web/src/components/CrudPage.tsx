import { useState, type ReactNode } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { call, query } from '../lib/client';
import { crudItemOf, type CrudField } from '../lib/crud-item';
import { formatNumber, textOf } from '../lib/format';
import { DangerButton, FormButtons } from './Buttons';
import { Dialog } from './Dialog';
import { ErrorNote } from './ErrorNote';
import { Field } from './Field';
import { Pager } from './Pager';
import { SelectField } from './SelectField';
import { useSaveForm } from './use-save-form';


export type { CrudField };

export interface CrudColumn<T> {
  header: string;
  cell: (item: T) => ReactNode;
}

/** The catalog resources with a page of this kind; their strings are under `catalog.<resource>`. */
export type CrudResource = 'collections' | 'tags' | 'partners';

const PAGE_SIZE = 50;

function CrudDialog<T extends { id: string }>({
  resource,
  fields,
  item,
  onClose,
  onSaved,
}: {
  resource: CrudResource;
  fields: CrudField[];
  item: T | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, textOf((item as Record<string, unknown> | null)?.[f.name] ?? f.choices?.[0]?.value)])),
  );
  const { save, errors, submit } = useSaveForm(() => call(item ? 'PUT' : 'POST', `/api/${resource}`, [crudItemOf(fields, values, item?.id ?? null)]), resource, onSaved);
  return (
    <Dialog title={t(`catalog.${resource}.${item ? 'editTitle' : 'createTitle'}`)} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {fields.map((f) => {
          const common = { label: f.label, name: f.name, value: values[f.name], error: errors[f.name], required: f.required };
          return f.choices ? (
            <SelectField key={f.name} {...common} choices={f.choices} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : (
            <Field
              key={f.name}
              {...common}
              type={f.type ?? 'text'}
              maxLength={f.maxLength}
              dir={f.type === 'email' || f.type === 'tel' ? 'ltr' : undefined}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            />
          );
        })}
        <FormButtons error={save.error} pending={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** A catalog resource's page: its list (paged by X-Total-Count), create, edit and delete. */
export function CrudPage<T extends { id: string }>({
  resource,
  columns,
  fields,
  nameOf,
  announce,
}: {
  resource: CrudResource;
  columns: CrudColumn<T>[];
  fields: CrudField[];
  nameOf: (item: T) => string;
  announce: (text: string) => void;
}) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const list = useQuery({
    queryKey: [resource, 'page', page],
    queryFn: () => call<T[]>('GET', `/api/${resource}?${query({ take: PAGE_SIZE, skip: page * PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (id: string) => call('DELETE', `/api/${resource}`, [id]),
    onSuccess: async () => {
      announce(t(`catalog.${resource}.deleted`));
      await queryClient.invalidateQueries({ queryKey: [resource] });
    },
  });
  const items = list.data?.body ?? [];
  const total = list.data?.total ?? 0;
  const titleId = `${resource}-title`;

  return (
    <main id="main">
      <div className="page-head">
        <h1 id={titleId}>{t(`catalog.${resource}.title`)}</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t(`catalog.${resource}.create`)}
        </button>
      </div>
      <p className="count" aria-live="polite">
        {t('catalog.total', { n: formatNumber(total, language) })}
      </p>
      <ErrorNote error={list.error ?? remove.error} />
      <div className="card">
        {list.isSuccess && items.length === 0 ? (
          <p className="empty">{t(`catalog.${resource}.empty`)}</p>
        ) : (
          <table aria-labelledby={titleId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} scope="col">
                    {c.header}
                  </th>
                ))}
                <th scope="col">{t('links.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  {columns.map((c) => (
                    <td key={c.header}>{c.cell(item)}</td>
                  ))}
                  <td>
                    <span className="row-actions">
                      <button type="button" onClick={() => setEditing(item)} aria-label={`${t('links.edit')}: ${nameOf(item)}`}>
                        {t('links.edit')}
                      </button>
                      <DangerButton
                        label={t('links.delete')}
                        target={nameOf(item)}
                        question={t(`catalog.${resource}.confirmDelete`, { name: nameOf(item) })}
                        disabled={remove.isPending}
                        onConfirm={() => remove.mutate(item.id)}
                      />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Pager page={page} total={total} pageSize={PAGE_SIZE} onPage={setPage} />
      {editing && (
        <CrudDialog
          resource={resource}
          fields={fields}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            announce(t(`catalog.${resource}.saved`));
          }}
        />
      )}
    </main>
  );
}

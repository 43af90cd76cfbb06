import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCollections } from '../collections';
import { useI18n } from '../i18n';
import { ApiError, fieldErrors } from '../lib/api-error';
import { call } from '../lib/client';
import { formValuesOf, itemOf, UTM_KEYS, type FormValues, type Link } from '../lib/link-form';
import { Dialog } from '../components/Dialog';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';

const capitalised = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

/** Create or edit one link (a one-item batch); the API's problems appear at their fields. */
export function LinkDialog({ link, onClose, onSaved }: { link: Link | null; onClose: () => void; onSaved: (link: Link) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const collections = useCollections();
  const [values, setValues] = useState<FormValues | null>(null);
  const firstCollection = collections.data?.[0]?.id ?? '';
  const form = values ?? formValuesOf(link, firstCollection);
  const set = (field: keyof FormValues, value: string | boolean) => setValues({ ...form, [field]: value });

  const save = useMutation({
    mutationFn: async () => (await call<Link[]>(link ? 'PUT' : 'POST', '/api/links', [itemOf(form, link?.id ?? null)])).body[0],
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['links'] });
      onSaved(saved);
    },
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error, language) : {};
  const text = (field: keyof FormValues, label: string, type = 'text', extra: { required?: boolean } = {}) => (
    <Field
      key={field}
      label={label}
      name={field}
      type={type}
      value={String(form[field])}
      error={errors[field]}
      onChange={(e) => set(field, e.target.value)}
      dir={type === 'url' ? 'ltr' : undefined}
      {...extra}
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <Dialog title={link ? t('linkForm.editTitle') : t('linkForm.createTitle')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {text('url', t('linkForm.url'), 'url', { required: true })}
        <div className="field">
          <label htmlFor="link-collection">{t('linkForm.collection')}</label>
          <select id="link-collection" value={form.collectionId} onChange={(e) => set('collectionId', e.target.value)} aria-invalid={errors.collectionId ? true : undefined}>
            {(collections.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {collections.data?.length === 0 && <small className="hint">{t('linkForm.noCollection')}</small>}
          {errors.collectionId && (
            <small className="field-error" role="alert">
              {errors.collectionId}
            </small>
          )}
        </div>
        {text('title', t('linkForm.title'))}
        {text('description', t('linkForm.description'))}
        <fieldset>
          <legend>{t('linkForm.utm')}</legend>
          {UTM_KEYS.map((key) => text(`utm.${key}`, t(`linkForm.utm${capitalised(key)}`)))}
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.targeting')}</legend>
          {text('ios', t('linkForm.ios'), 'url')}
          {text('android', t('linkForm.android'), 'url')}
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.protection')}</legend>
          {text('expiresAt', t('linkForm.expiresAt'), 'datetime-local')}
          {text('expiredUrl', t('linkForm.expiredUrl'), 'url')}
          {text('password', t('linkForm.password'))}
          <div className="check">
            <input id="link-cloaked" type="checkbox" checked={form.cloaked} onChange={(e) => set('cloaked', e.target.checked)} />
            <label htmlFor="link-cloaked">{t('linkForm.cloaked')}</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.social')}</legend>
          {text('socialTitle', t('linkForm.socialTitle'))}
          {text('socialDescription', t('linkForm.socialDescription'))}
          {text('socialImage', t('linkForm.socialImage'), 'url')}
        </fieldset>
        <ErrorNote error={save.error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('linkForm.cancel')}
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('linkForm.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

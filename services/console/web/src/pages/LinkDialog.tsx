import { useState } from 'react';
import { useCollections } from '../collections';
import { useI18n } from '../i18n';
import { useDomains, usePartners, useTags } from '../lookups';
import type { Language } from '../lib/api-error';
import { call } from '../lib/client';
import { textOf } from '../lib/format';
import { formValuesOf, itemOf, paramsOf, UTM_KEYS, type FormValues, type Link } from '../lib/link-form';
import { destinationWithUtm, splitUtm } from '../lib/utm';
import { FormButtons } from '../components/Buttons';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { PairRows } from '../components/PairRows';
import { QrPanel } from '../components/QrPanel';
import { SelectField } from '../components/SelectField';
import { useSaveForm } from '../components/use-save-form';

const capitalised = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

/** A country's name in the user's language, from its ISO code (empty while the code is incomplete). */
function countryName(code: string, language: Language): string {
  if (!/^[A-Za-z]{2}$/.test(code.trim())) return '';
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code.trim().toUpperCase()) ?? '';
  } catch {
    return '';
  }
}

/** Create or edit one link (a one-item batch); the API's problems appear at their fields. */
export function LinkDialog({ link, onClose, onSaved }: { link: Link | null; onClose: () => void; onSaved: (link: Link) => void }) {
  const { t, language } = useI18n();
  const collections = useCollections();
  const tags = useTags();
  const partners = usePartners();
  const domains = useDomains();
  const [values, setValues] = useState<FormValues | null>(null);
  const firstCollection = collections.data?.[0]?.id ?? '';
  const [initial] = useState(() => formValuesOf(link, ''));
  const chosen = values ?? initial;
  // no collection yet (a new link, or typed into before the collections arrived): the one the list
  // shows, the first, is the one saved
  const form = chosen.collectionId ? chosen : { ...chosen, collectionId: firstCollection };
  const set = <K extends keyof FormValues>(field: K, value: FormValues[K]) => setValues({ ...form, [field]: value });

  const { save, errors, submit } = useSaveForm(
    async () => (await call<Link[]>(link ? 'PUT' : 'POST', '/api/links', [itemOf(form, link?.id ?? null, initial)])).body[0],
    'links',
    onSaved,
  );
  const text = (field: keyof FormValues, label: string, type = 'text', extra: { required?: boolean; hint?: string; maxLength?: number } = {}) => (
    <Field
      key={field}
      label={label}
      name={field}
      type={type}
      value={textOf(form[field])}
      error={errors[field]}
      onChange={(e) => set(field, e.target.value)}
      dir={type === 'url' || field === 'key' ? 'ltr' : undefined}
      {...extra}
    />
  );
  const check = (field: 'cloaked' | 'active' | 'hideReferrer', label: string) => (
    <div className="check">
      <input id={`link-${field}`} type="checkbox" checked={form[field]} onChange={(e) => set(field, e.target.checked)} />
      <label htmlFor={`link-${field}`}>{label}</label>
    </div>
  );

  // UTM builder: where visitors land, and a pasted URL's utm_* moved into the fields
  const utm = Object.fromEntries(UTM_KEYS.map((key) => [key, form[`utm.${key}`]]));
  const landing = destinationWithUtm(form.url, utm, paramsOf(form.params));
  const split = splitUtm(form.url);
  const moveUtm = () => {
    if (!split) return;
    const next = { ...form, url: split.url };
    for (const key of UTM_KEYS) if (split.utm[key]) next[`utm.${key}`] = split.utm[key] ?? '';
    setValues(next);
  };

  /** The problems of a rows field (geo, params) that no shown row carries: the whole list's, or a removed row's. */
  const listErrors = <R,>(field: 'geo' | 'params', fieldOf: (row: R) => string, rows: R[]) =>
    Object.entries(errors).filter(([name]) => (name === field || name.startsWith(`${field}.`)) && !rows.some((row) => fieldOf(row) === name));
  const toggleTag = (id: string, on: boolean) => set('tagIds', on ? [...form.tagIds, id] : form.tagIds.filter((t2) => t2 !== id));
  // the link's own domain stays a choice even when it is not one of the workspace's (the default domain)
  const domainChoices = [
    { value: '', label: t('linkExtra.defaultDomain') },
    ...(domains.data ?? []).filter((d) => d.status === 'verified').map((d) => ({ value: d.name, label: d.name })),
  ];
  if (initial.domain && !domainChoices.some((c) => c.value === initial.domain)) domainChoices.push({ value: initial.domain, label: initial.domain });

  return (
    <Dialog title={link ? t('linkForm.editTitle') : t('linkForm.createTitle')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {text('url', t('linkForm.url'), 'url', { required: true })}
        {split && (
          <button type="button" onClick={moveUtm}>
            {t('linkExtra.utmSplit')}
          </button>
        )}
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
        {text('title', t('linkForm.title'), 'text', { maxLength: 500 })}
        {text('description', t('linkForm.description'), 'text', { maxLength: 5000 })}
        {text('image', t('linkExtra.image'), 'url')}
        <fieldset>
          <legend>{t('linkForm.utm')}</legend>
          <div className="grid-2">{UTM_KEYS.map((key) => text(`utm.${key}`, t(key === 'referral' ? 'linkExtra.utmReferral' : `linkForm.utm${capitalised(key)}`), 'text', { maxLength: 500 }))}</div>
          <p className="hint">
            {t('linkExtra.utmPreview')}{' '}
            <output dir="ltr" className="mono landing" data-testid="utm-preview">
              {landing ?? '—'}
            </output>
          </p>
        </fieldset>
        <PairRows
          legend={t('linkExtra.params')}
          rows={form.params}
          columns={[
            { field: 'name', label: t('linkExtra.paramName'), input: { maxLength: 200 } },
            { field: 'value', label: t('linkExtra.paramValue'), input: { maxLength: 2000 } },
          ]}
          blank={{ name: '', value: '' }}
          addLabel={t('linkExtra.paramAdd')}
          removeLabel={(row, index) => t('linkExtra.paramRemove', { name: row.name || String(index + 1) })}
          errorOf={(row) => errors[`params.${row.name.trim()}`]}
          otherErrors={listErrors('params', (row) => `params.${row.name.trim()}`, form.params)}
          onChange={(rows) => set('params', rows)}
        />
        <fieldset>
          <legend>{t('linkExtra.shortUrl')}</legend>
          <SelectField label={t('linkExtra.domain')} value={form.domain} choices={domainChoices} error={errors.domain} onChange={(e) => set('domain', e.target.value)} dir="ltr" />
          {text('key', t('linkExtra.key'), 'text', { hint: t('linkExtra.keyHint'), maxLength: 64 })}
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.targeting')}</legend>
          {text('ios', t('linkForm.ios'), 'url')}
          {text('android', t('linkForm.android'), 'url')}
          <PairRows
            legend={t('linkExtra.geo')}
            rows={form.geo}
            columns={[
              { field: 'country', label: t('linkExtra.geoCountry'), input: { maxLength: 2 }, hint: (row) => countryName(row.country, language) || undefined },
              { field: 'url', label: t('linkExtra.geoUrl'), input: { type: 'url' } },
            ]}
            blank={{ country: '', url: '' }}
            addLabel={t('linkExtra.geoAdd')}
            removeLabel={(row, index) => t('linkExtra.geoRemove', { country: row.country || String(index + 1) })}
            errorOf={(row) => errors[`geo.${row.country.trim().toUpperCase()}`]}
            otherErrors={listErrors('geo', (row) => `geo.${row.country.trim().toUpperCase()}`, form.geo)}
            onChange={(rows) => set('geo', rows)}
          />
        </fieldset>
        <fieldset>
          <legend>{t('linkExtra.organise')}</legend>
          <fieldset className="inline-choices wrap">
            <legend>{t('linkExtra.tags')}</legend>
            {(tags.data ?? []).length === 0 && <span className="hint">{t('linkExtra.noTags')}</span>}
            {(tags.data ?? []).map((tag) => (
              <label key={tag.id}>
                <input type="checkbox" checked={form.tagIds.includes(tag.id)} onChange={(e) => toggleTag(tag.id, e.target.checked)} /> {tag.name}
              </label>
            ))}
          </fieldset>
          {errors.tagIds && (
            <small className="field-error" role="alert">
              {errors.tagIds}
            </small>
          )}
          <SelectField
            label={t('linkExtra.partner')}
            value={form.partnerId}
            error={errors.partnerId}
            choices={[{ value: '', label: t('linkExtra.noPartner') }, ...(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
            onChange={(e) => set('partnerId', e.target.value)}
          />
          {text('externalId', t('linkExtra.externalId'), 'text', { maxLength: 255 })}
          {text('tenantId', t('linkExtra.tenantId'), 'text', { maxLength: 255 })}
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.protection')}</legend>
          {text('expiresAt', t('linkForm.expiresAt'), 'datetime-local')}
          {text('expiredUrl', t('linkForm.expiredUrl'), 'url')}
          {text('password', t('linkForm.password'), 'text', { maxLength: 128 })}
          {check('cloaked', t('linkForm.cloaked'))}
        </fieldset>
        <fieldset>
          <legend>{t('linkExtra.redirect')}</legend>
          <SelectField
            label={t('linkExtra.redirectType')}
            value={form.redirectType}
            error={errors.redirectType}
            choices={[
              { value: '302', label: t('linkExtra.redirect302') },
              { value: '301', label: t('linkExtra.redirect301') },
            ]}
            onChange={(e) => set('redirectType', e.target.value === '301' ? '301' : '302')}
          />
          {check('active', t('linkExtra.active'))}
          {check('hideReferrer', t('linkExtra.hideReferrer'))}
        </fieldset>
        <fieldset>
          <legend>{t('linkForm.social')}</legend>
          {text('socialTitle', t('linkForm.socialTitle'), 'text', { maxLength: 500 })}
          {text('socialDescription', t('linkForm.socialDescription'), 'text', { maxLength: 5000 })}
          {text('socialImage', t('linkForm.socialImage'), 'url')}
        </fieldset>
        {link?.qrCode && <QrPanel qrCode={link.qrCode} shortUrl={link.shortUrl} />}
        <FormButtons error={save.error} pending={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

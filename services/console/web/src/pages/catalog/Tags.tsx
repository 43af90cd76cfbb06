import { useI18n } from '../../i18n';
import { TAG_COLOR_NAMES, TAG_COLORS, type TagColor } from '../../lib/tag-colors';
import { CrudPage } from '../../components/CrudPage';

export interface Tag {
  id: string;
  name: string;
  color: TagColor;
}

/** A tag as a coloured chip (the colour is decoration: the name carries the meaning). */
export function TagChip({ tag }: { tag: Tag }) {
  return (
    <span className="tag-chip">
      <span className="swatch" aria-hidden="true" style={{ background: TAG_COLORS[tag.color] ?? TAG_COLORS.slate }} />
      {tag.name}
    </span>
  );
}

export function Tags({ announce }: { announce: (text: string) => void }) {
  const { t } = useI18n();
  return (
    <CrudPage<Tag>
      resource="tags"
      announce={announce}
      nameOf={(tag) => tag.name}
      fields={[
        { name: 'name', label: t('catalog.name'), required: true, maxLength: 255 },
        { name: 'color', label: t('catalog.color'), choices: TAG_COLOR_NAMES.map((c) => ({ value: c, label: t(`colors.${c}`) })) },
      ]}
      columns={[
        { header: t('catalog.name'), cell: (tag) => <TagChip tag={tag} /> },
        { header: t('catalog.color'), cell: (tag) => t(`colors.${tag.color}`) },
      ]}
    />
  );
}

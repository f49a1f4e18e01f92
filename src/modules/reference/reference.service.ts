import { ISIC_SECTIONS, findIsicSection, type IsicSection } from './isic-sections';
import { Locale, type Industry } from './reference.types';

function toIndustry(section: IsicSection, locale: Locale): Industry {
  return { code: section.code, name: locale === Locale.RU ? section.ru : section.en };
}

/** Every ISIC Rev. 4 section, A..U, named in `locale`. */
export function listIndustries(locale: Locale): Industry[] {
  return ISIC_SECTIONS.map((s) => toIndustry(s, locale));
}

/**
 * The industry with this section letter, named in `locale`; a code that is not in the list
 * (never stored by this API) is returned with its code as the name.
 */
export function industryOf(code: string, locale: Locale): Industry {
  const section = findIsicSection(code.trim());
  return section ? toIndustry(section, locale) : { code, name: code };
}

/**
 * The industry code list: the 21 sections of ISIC Rev. 4 (UN International Standard
 * Industrial Classification of All Economic Activities, revision 4), A..U, with their
 * official English titles and the Russian titles used by ОКВЭД 2 (which follows ISIC Rev. 4).
 */
export interface IsicSection {
  /** Section letter, A..U. */
  code: string;
  en: string;
  ru: string;
}

export const ISIC_SECTIONS: readonly IsicSection[] = [
  {
    code: 'A',
    en: 'Agriculture, forestry and fishing',
    ru: 'Сельское, лесное хозяйство, охота, рыболовство и рыбоводство',
  },
  { code: 'B', en: 'Mining and quarrying', ru: 'Добыча полезных ископаемых' },
  { code: 'C', en: 'Manufacturing', ru: 'Обрабатывающие производства' },
  {
    code: 'D',
    en: 'Electricity, gas, steam and air conditioning supply',
    ru: 'Обеспечение электрической энергией, газом и паром; кондиционирование воздуха',
  },
  {
    code: 'E',
    en: 'Water supply; sewerage, waste management and remediation activities',
    ru: 'Водоснабжение; водоотведение, организация сбора и утилизации отходов, деятельность по ликвидации загрязнений',
  },
  { code: 'F', en: 'Construction', ru: 'Строительство' },
  {
    code: 'G',
    en: 'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    ru: 'Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов',
  },
  { code: 'H', en: 'Transportation and storage', ru: 'Транспортировка и хранение' },
  {
    code: 'I',
    en: 'Accommodation and food service activities',
    ru: 'Деятельность гостиниц и предприятий общественного питания',
  },
  { code: 'J', en: 'Information and communication', ru: 'Деятельность в области информации и связи' },
  { code: 'K', en: 'Financial and insurance activities', ru: 'Деятельность финансовая и страховая' },
  { code: 'L', en: 'Real estate activities', ru: 'Деятельность по операциям с недвижимым имуществом' },
  {
    code: 'M',
    en: 'Professional, scientific and technical activities',
    ru: 'Деятельность профессиональная, научная и техническая',
  },
  {
    code: 'N',
    en: 'Administrative and support service activities',
    ru: 'Деятельность административная и сопутствующие дополнительные услуги',
  },
  {
    code: 'O',
    en: 'Public administration and defence; compulsory social security',
    ru: 'Государственное управление и обеспечение военной безопасности; социальное обеспечение',
  },
  { code: 'P', en: 'Education', ru: 'Образование' },
  {
    code: 'Q',
    en: 'Human health and social work activities',
    ru: 'Деятельность в области здравоохранения и социальных услуг',
  },
  {
    code: 'R',
    en: 'Arts, entertainment and recreation',
    ru: 'Деятельность в области культуры, спорта, организации досуга и развлечений',
  },
  { code: 'S', en: 'Other service activities', ru: 'Предоставление прочих видов услуг' },
  {
    code: 'T',
    en: 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
    ru: 'Деятельность домашних хозяйств как работодателей; недифференцированная деятельность частных домашних хозяйств по производству товаров и оказанию услуг для собственного потребления',
  },
  {
    code: 'U',
    en: 'Activities of extraterritorial organizations and bodies',
    ru: 'Деятельность экстерриториальных организаций и органов',
  },
];

const BY_CODE = new Map(ISIC_SECTIONS.map((s) => [s.code, s]));

/** The section with this letter (upper case), or undefined. */
export function findIsicSection(code: string): IsicSection | undefined {
  return BY_CODE.get(code);
}

/** True for a section letter A..U (upper case only). */
export function isIsicSection(code: unknown): code is string {
  return typeof code === 'string' && BY_CODE.has(code);
}

/** How exports write dates (a portal setting); its own module so mappings and the export code can share it without a cycle. */
export const DATE_FORMATS = ['DD/MM/YYYY', 'MM/DD/YYYY'] as const;
/** One of DATE_FORMATS. */
export type DateFormat = (typeof DATE_FORMATS)[number];

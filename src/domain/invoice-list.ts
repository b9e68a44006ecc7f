/** Sort orders of the invoice list; `-` means descending. Ties always break on id. */
export const SORTS = ['-createdAt', 'createdAt', 'dueDate', '-dueDate'] as const;

/** One of SORTS. */
export type Sort = (typeof SORTS)[number];

/** Code-unit order of two strings: a stable, locale-free order for ties of sorted rows and keys. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// One Intl.DateTimeFormat per locale and options, made on first use and kept for the container's
// life: making one costs about ten times what formatting with it does (and the first in a container
// also loads the time zone's data), and the same few are asked for on every SMS and page.

const made = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = made.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    made.set(key, format);
  }
  return format;
}

/** The day (YYYY-MM-DD) of a moment in Europe/Amsterdam. */
export function dutchDay(at: Date | string): string {
  // en-CA writes a date as YYYY-MM-DD.
  return dateFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(at));
}

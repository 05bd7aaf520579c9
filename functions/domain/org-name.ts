// Organisations are known by the id in the staff token ('gemeente-alphen-aan-den-rijn'). Until
// organisations are stored with a display name, SMS texts show the id as a name a citizen recognises.
const LOWER = new Set(['aan', 'de', 'den', 'der', 'en', 'het', 'in', 'op', 'van', 'voor', "'t"]);

export function orgDisplayName(org: string): string {
  return org
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word, i) =>
      i > 0 && LOWER.has(word.toLowerCase()) ? word.toLowerCase() : word[0]?.toUpperCase() + word.slice(1),
    )
    .join(' ');
}

import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import {
  detailText,
  HISTORY_WORDS,
  type HistoryEvent,
  type HistoryNames,
  type HistoryWords,
  type Sentence,
} from './history-words';

// The case history as a caseworker reads it: one sentence per event in the staff's language, naming
// the organisation, step and stage as people know them, then the detail worth a glance after a colon.

/**
 * Names from the service definition; an id the definition no longer has is shown as it is. `events`: the
 * case's history, which tells a stage entered again from its first entry. (The visit number does not:
 * it counts the entries of every stage, so the second stage's first entry is visit 2.)
 */
export function historyNames(
  service: Service,
  org: string,
  locale: Locale,
  events: readonly HistoryEvent[] = [],
): HistoryNames {
  const steps = service.stages.flatMap((s) => s.steps);
  const again = new Set<HistoryEvent>();
  const entered = new Set<string>();
  for (const event of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    if (event.type !== 'STAGE_ENTERED') continue;
    const stageId = detailText(event, 'stageId') ?? '';
    if (entered.has(stageId)) again.add(event);
    entered.add(stageId);
  }
  return {
    locale,
    org: orgDisplayName(org),
    step: (id) => steps.find((s) => s.id === id)?.title[locale] ?? id ?? '',
    stage: (id) => service.stages.find((s) => s.id === id)?.title[locale] ?? id ?? '',
    again: (event) => again.has(event),
  };
}

/** The detail worth a glance: a cancel reason, an error, why an SMS was not sent, where a run went on. */
function note(event: HistoryEvent, words: HistoryWords): string {
  const to = detailText(event, 'to');
  if (event.type === 'CASE_CONTINUED' && to) return `${detailText(event, 'from') ?? ''} → ${to}`;
  // A failed SMS carries its error beside the reason 'failed': the error says more.
  const error = detailText(event, 'error');
  if (error) return error;
  const reason = detailText(event, 'reason');
  return reason ? (words.reasons[reason] ?? reason) : '';
}

/** One line of the history; a type from before these words (older data) shows its code. */
export function historyLine(event: HistoryEvent, names: HistoryNames): string {
  const words = HISTORY_WORDS[names.locale];
  const sentence = words.events[event.type] as Sentence | undefined;
  const what = sentence ? sentence(event, names) : event.type;
  const detail = note(event, words);
  return detail ? `${what}: ${detail}` : what;
}

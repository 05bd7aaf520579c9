import type { CaseDto } from '../domain/case-dto';
import type { MessageKind } from '../domain/messages';
import type { Actor, CaseEventType, Channel, Locale } from '../domain/model';
import { formatDate } from '../pages/i18n';

// The words of the case history, per event type and language ("Zaak gestart door Gemeente Utrecht"),
// not the log's codes. A Record over every event type, so a new type without words does not compile.

export type HistoryEvent = CaseDto['events'][number];

/** What a sentence names: the organisation by its display name, steps and stages by their titles. */
export interface HistoryNames {
  locale: Locale;
  org: string;
  step: (stepId: string | undefined) => string;
  stage: (stageId: string | undefined) => string;
  /** A STAGE_ENTERED of a stage the case was in before (history-text.ts): "again". */
  again: (event: HistoryEvent) => boolean;
}

export type Sentence = (event: HistoryEvent, names: HistoryNames) => string;

export interface HistoryWords {
  events: Record<CaseEventType, Sentence>;
  citizen: string;
  /** How an answer came in, per actor: the provider's web is the console, the citizen's the link page. */
  channel: Record<Actor, Record<Channel, string>>;
  message: Record<MessageKind, string>;
  /** Why an SMS was not sent or an answer was refused: the codes the domain writes. */
  reasons: Record<string, string>;
}

export const detailText = (event: HistoryEvent, key: string): string | undefined => {
  const value = event.detail?.[key];
  return typeof value === 'string' ? value : undefined;
};
const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The side a step belongs to: the step's own actor from the detail, else the event's actor. */
function party(event: HistoryEvent, names: HistoryNames, citizen: string): string {
  const actor = detailText(event, 'actor') ?? event.actor;
  return actor === 'provider' ? names.org : citizen;
}

/** Who answered: the side, or the citizen's delegate by name ("Anna namens de burger"). */
function answerer(event: HistoryEvent, names: HistoryNames, citizen: string, onBehalf: string): string {
  const delegate = detailText(event, 'delegate');
  if (delegate !== undefined) return `${delegate} ${onBehalf} ${citizen}`;
  return party(event, names, citizen);
}

/** A delegate of the citizen by name, or in general words once the name cannot be opened. */
const helper = (event: HistoryEvent, unnamed: string) => detailText(event, 'delegate') ?? unnamed;

function how(event: HistoryEvent, words: HistoryWords): string {
  const actor = event.actor === 'provider' ? 'provider' : 'citizen';
  return event.channel ? ` ${words.channel[actor][event.channel]}` : '';
}

function message(event: HistoryEvent, words: HistoryWords): string {
  const kind = detailText(event, 'message') as MessageKind | undefined;
  return (kind && words.message[kind]) ?? words.message.invitation;
}

function due(event: HistoryEvent, names: HistoryNames, word: string): string {
  const at = detailText(event, 'dueAt');
  return at ? `, ${word} ${formatDate(at, names.locale)}` : '';
}

/** The proposed due date of a proposal event (YYYY-MM-DD), or where a step was moved to. */
const day = (event: HistoryEvent, names: HistoryNames, key = 'dueAt'): string => {
  const at = detailText(event, key);
  // A proposal names a day; a retimed step's due date is a moment (its time of day kept).
  return at ? formatDate(key === 'dueAt' ? at.slice(0, 10) : at, names.locale) : '?';
};

const NL: HistoryWords = {
  citizen: 'de burger',
  channel: {
    citizen: { web: 'via de burgerpagina', sms: 'per SMS', api: 'via de koppeling (API)' },
    provider: { web: 'in de console', sms: 'per SMS', api: 'via de koppeling (API)' },
  },
  message: {
    invitation: 'Uitnodiging',
    reminder: 'Herinnering',
    escalation: 'Bericht over de verlopen termijn',
    confirmation: 'Bevestiging',
  },
  reasons: {
    'opted-out': 'de burger heeft zich afgemeld voor SMS',
    'no-phone': 'er is geen mobiel nummer bekend',
    UNCLEAR_ANSWER: 'het antwoord was niet te begrijpen',
    VALIDATION_FAILED: 'het antwoord paste niet bij het formulier',
  },
  events: {
    CASE_CREATED: (_, n) => `Zaak gestart door ${n.org}`,
    STAGE_ENTERED: (e, n) =>
      `Fase ‘${n.stage(detailText(e, 'stageId'))}’ ${n.again(e) ? 'opnieuw ' : ''}begonnen`,
    STEP_OPENED: (e, n) =>
      `Stap ‘${n.step(e.stepId)}’ geopend voor ${party(e, n, NL.citizen)}${due(e, n, 'uiterlijk')}`,
    STEP_REMINDED: (e, n) =>
      `Herinnering: stap ‘${n.step(e.stepId)}’ staat nog open voor ${party(e, n, NL.citizen)}`,
    STEP_ESCALATED: (e, n) => `Stap ‘${n.step(e.stepId)}’ is te laat: de uiterste datum is voorbij`,
    STEP_SUBMITTED: (e, n) =>
      `Stap ‘${n.step(e.stepId)}’ ingevuld door ${answerer(e, n, NL.citizen, 'namens')}${how(e, NL)}`,
    SUBMISSION_REFUSED: (e, n) =>
      `Antwoord van de burger${how(e, NL)} op stap ‘${n.step(e.stepId)}’ niet verwerkt`,
    CASE_CANCELLED: (_, n) => `Zaak gestopt door ${n.org}`,
    CASE_FAILED: () => 'Verwerking mislukt; de zaak staat stil',
    CASE_REDRIVEN: (_, n) => `Opnieuw geprobeerd door ${n.org}; de zaak loopt weer`,
    CASE_CONTINUED: (e, n) =>
      `Zaak loopt verder in een nieuwe uitvoering, bij fase ‘${n.stage(detailText(e, 'stageId'))}’`,
    CASE_REOPENED: (e, n) =>
      `Zaak heropend door ${party(e, n, NL.citizen)}, bij fase ‘${n.stage(detailText(e, 'stageId'))}’`,
    PROPOSAL_MADE: (e, n) =>
      `${cap(party(e, n, NL.citizen))} vroeg om ${day(e, n)} voor stap ‘${n.step(e.stepId)}’`,
    PROPOSAL_ACCEPTED: (e, n) =>
      `${cap(party(e, n, NL.citizen))} ging akkoord met ${day(e, n)} voor stap ‘${n.step(e.stepId)}’`,
    PROPOSAL_DECLINED: (e, n) =>
      `${cap(party(e, n, NL.citizen))} ging niet akkoord met ${day(e, n)} voor stap ‘${n.step(e.stepId)}’`,
    PROPOSAL_EXPIRED: (e, n) =>
      `Voorstel voor ${day(e, n)} vervallen: stap ‘${n.step(e.stepId)}’ was al gesloten`,
    STEP_RETIMED: (e, n) =>
      `Nieuwe uiterste datum voor stap ‘${n.step(e.stepId)}’: ${day(e, n, 'to')}; herinneringen schuiven mee`,
    CASE_ERASED: (_, n) => `Persoonsgegevens verwijderd door ${n.org}`,
    DATA_EXPORTED: () => 'Gegevens gedownload door de burger',
    SMS_SENT: (e) => `${message(e, NL)} per SMS verstuurd`,
    SMS_SUPPRESSED: (e) => `${message(e, NL)} niet per SMS verstuurd`,
    SMS_FAILED: (e) => `${message(e, NL)} kon niet per SMS worden verstuurd`,
    DELEGATE_ADDED: (e) => `De burger heeft ${helper(e, 'iemand')} gevraagd te helpen, met een eigen link`,
    DELEGATE_REVOKED: (e) => `De burger heeft de link van ${helper(e, 'een helper')} ingetrokken`,
  },
};

const EN: HistoryWords = {
  citizen: 'the citizen',
  channel: {
    citizen: { web: 'on the citizen page', sms: 'by SMS', api: 'through the API' },
    provider: { web: 'in the console', sms: 'by SMS', api: 'through the API' },
  },
  message: {
    invitation: 'Invitation',
    reminder: 'Reminder',
    escalation: 'Overdue notice',
    confirmation: 'Confirmation',
  },
  reasons: {
    'opted-out': 'the citizen opted out of SMS',
    'no-phone': 'there is no mobile number',
    UNCLEAR_ANSWER: 'the answer could not be understood',
    VALIDATION_FAILED: 'the answer did not fit the form',
  },
  events: {
    CASE_CREATED: (_, n) => `Case started by ${n.org}`,
    STAGE_ENTERED: (e, n) =>
      `Stage ‘${n.stage(detailText(e, 'stageId'))}’ ${n.again(e) ? 'started again' : 'started'}`,
    STEP_OPENED: (e, n) =>
      `Step ‘${n.step(e.stepId)}’ opened for ${party(e, n, EN.citizen)}${due(e, n, 'due')}`,
    STEP_REMINDED: (e, n) =>
      `Reminder: step ‘${n.step(e.stepId)}’ is still open for ${party(e, n, EN.citizen)}`,
    STEP_ESCALATED: (e, n) => `Step ‘${n.step(e.stepId)}’ is overdue: its due date has passed`,
    STEP_SUBMITTED: (e, n) =>
      `Step ‘${n.step(e.stepId)}’ completed by ${answerer(e, n, EN.citizen, 'on behalf of')}${how(e, EN)}`,
    SUBMISSION_REFUSED: (e, n) =>
      `Answer from the citizen${how(e, EN)} to step ‘${n.step(e.stepId)}’ not accepted`,
    CASE_CANCELLED: (_, n) => `Case stopped by ${n.org}`,
    CASE_FAILED: () => 'Processing failed; the case is on hold',
    CASE_REDRIVEN: (_, n) => `Tried again by ${n.org}; the case is running again`,
    CASE_CONTINUED: (e, n) =>
      `Case continues in a new execution, at stage ‘${n.stage(detailText(e, 'stageId'))}’`,
    CASE_REOPENED: (e, n) =>
      `Case reopened by ${party(e, n, EN.citizen)}, at stage ‘${n.stage(detailText(e, 'stageId'))}’`,
    PROPOSAL_MADE: (e, n) =>
      `${cap(party(e, n, EN.citizen))} asked for ${day(e, n)} for step ‘${n.step(e.stepId)}’`,
    PROPOSAL_ACCEPTED: (e, n) =>
      `${cap(party(e, n, EN.citizen))} agreed to ${day(e, n)} for step ‘${n.step(e.stepId)}’`,
    PROPOSAL_DECLINED: (e, n) =>
      `${cap(party(e, n, EN.citizen))} did not agree to ${day(e, n)} for step ‘${n.step(e.stepId)}’`,
    PROPOSAL_EXPIRED: (e, n) =>
      `Proposal for ${day(e, n)} lapsed: step ‘${n.step(e.stepId)}’ had already closed`,
    STEP_RETIMED: (e, n) =>
      `New due date for step ‘${n.step(e.stepId)}’: ${day(e, n, 'to')}; reminders move along`,
    CASE_ERASED: (_, n) => `Personal data erased by ${n.org}`,
    DATA_EXPORTED: () => 'Data downloaded by the citizen',
    SMS_SENT: (e) => `${message(e, EN)} sent by SMS`,
    SMS_SUPPRESSED: (e) => `${message(e, EN)} not sent by SMS`,
    SMS_FAILED: (e) => `${message(e, EN)} could not be sent by SMS`,
    DELEGATE_ADDED: (e) => `The citizen asked ${helper(e, 'someone')} to help, with a link of their own`,
    DELEGATE_REVOKED: (e) => `The citizen withdrew the link of ${helper(e, 'a helper')}`,
  },
};

export const HISTORY_WORDS: Record<Locale, HistoryWords> = { nl: NL, en: EN };

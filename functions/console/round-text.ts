import type { Locale } from '../domain/model';
import { LANGUAGE_TAGS } from '../pages/i18n';
import type { RoundStatus } from '../rounds/model';

// The console's words for rounds (Dutch first). Row reasons and round errors come from the
// validator and the round machine in English; the pages mark them lang="en".

const num = (n: number, locale: Locale) => n.toLocaleString(LANGUAGE_TAGS[locale]);

/** A value as one POSIX shell word. */
const shellWord = (v: string) => (/^[A-Za-z0-9._-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);

/**
 * The command line (local/round.ts), the same in both languages. For a round: the command that
 * uploads a corrected file to that same round (same name, same choice for bad rows).
 */
export function cliStart(serviceId: string, round?: { name: string; onInvalid: 'skip' | 'reject' }): string {
  const base = `npm run round -- start ${serviceId} FILE.csv`;
  if (!round) return `${base} [--name NAME] [--skip-invalid]`;
  return `${base} --name ${shellWord(round.name)}${round.onInvalid === 'skip' ? ' --skip-invalid' : ''}`;
}

export const ROUND_WORDS = {
  nl: {
    rounds: 'Rondes',
    round: 'Ronde',
    service: 'Dienst',
    noRounds: 'Deze dienst heeft nog geen rondes.',
    howToTitle: 'Een ronde starten',
    howTo:
      'Een ronde start deze dienst voor veel huishoudens tegelijk, uit een CSV-bestand. Het bestand uploadt u niet hier maar met de opdrachtregel of de API; deze pagina toont daarna de voortgang.',
    cliLabel: 'Met de opdrachtregel:',
    cliOptions:
      '--name geeft de ronde een naam (anders de bestandsnaam); dezelfde naam opnieuw is dezelfde ronde. Met --skip-invalid worden de goede regels gestart als er foute regels zijn; zonder start dan niets.',
    apiLabel:
      'Met de API: POST /rounds met serviceId en name, PUT het bestand naar de upload-URL uit het antwoord, daarna POST /rounds/{roundId}/start.',
    name: 'Naam',
    created: 'Aangemaakt',
    updated: 'Bijgewerkt',
    status: 'Status',
    progress: 'Gestart / goedgekeurd',
    progressTitle: 'Voortgang',
    failedCol: 'Mislukt',
    statuses: {
      AWAITING_UPLOAD: 'Wacht op bestand',
      VALIDATING: 'Bestand wordt gecontroleerd',
      REJECTED: 'Afgewezen',
      STARTING: 'Zaken worden gestart',
      STARTED: 'Gestart',
      FAILED: 'Mislukt',
    } satisfies Record<RoundStatus, string>,
    onInvalid: { skip: 'Goede regels starten, foute overslaan', reject: 'Niets starten bij foute regels' },
    onInvalidLabel: 'Bij foute regels',
    attempt: 'Poging',
    counters: 'Tellingen',
    counter: {
      total: 'Regels in het bestand',
      validated: 'Goedgekeurd',
      invalid: 'Afgekeurd',
      started: 'Zaken gestart',
      failed: 'Niet gestart',
      completed: 'Afgerond',
      expired: 'Verlopen',
      cancelled: 'Gestopt',
      active: 'Lopend',
    },
    checking: 'Het bestand wordt regel voor regel gecontroleerd.',
    checked: (done: number, l: Locale) => `${num(done, l)} regels gecontroleerd`,
    startedOf: (done: number, of: number, l: Locale) => `${num(done, l)} van ${num(of, l)} zaken gestart`,
    awaiting: 'Er is nog geen bestand gestart voor deze ronde.',
    refreshNow: 'Nu bijwerken',
    autoOn: 'Elke 3 seconden automatisch bijwerken',
    autoOff: 'Automatisch bijwerken stoppen',
    autoNote: 'Deze pagina wordt elke 3 seconden opnieuw geladen zolang de ronde loopt.',
    rowErrors: 'Foute regels',
    rowFailures: 'Regels zonder zaak',
    line: 'Regel',
    column: 'Kolom',
    reason: 'Reden',
    reference: 'Kenmerk',
    firstOf: (shown: number, all: number, l: Locale) => `De eerste ${num(shown, l)} van ${num(all, l)}.`,
    rejectedWhy: 'De ronde is afgewezen; er is geen enkele zaak gestart.',
    failedWhy: 'De ronde is gestopt voordat alle zaken gestart waren.',
    whatToDo:
      'Verbeter het bestand, upload het opnieuw onder dezelfde naam en start de ronde opnieuw. Zaken die al gestart zijn, worden niet nog eens gestart.',
    whatToDoFailed:
      'Start de ronde opnieuw onder dezelfde naam, met hetzelfde bestand of een verbeterd bestand (zie de reden en de regels hieronder). Zaken die al gestart zijn, worden niet nog eens gestart.',
    spread: 'Waar de zaken nu zijn',
    spreadNote: (n: number, l: Locale) =>
      `Lopende zaken per fase en afgesloten zaken, geteld over ${num(n, l)} zaken.`,
    stage: 'Fase of afloop',
    count: 'Aantal',
    noStage: 'Nog niet in een fase',
    back: 'Terug naar de rondes',
    backService: 'Terug naar de zaken',
  },
  en: {
    rounds: 'Rounds',
    round: 'Round',
    service: 'Service',
    noRounds: 'This service has no rounds yet.',
    howToTitle: 'Starting a round',
    howTo:
      'A round starts this service for many households at once, from a CSV file. You do not upload the file here but with the command line or the API; this page then shows the progress.',
    cliLabel: 'With the command line:',
    cliOptions:
      '--name names the round (else the file name); the same name again is the same round. With --skip-invalid the good rows start when some rows are bad; without it nothing starts then.',
    apiLabel:
      'With the API: POST /rounds with serviceId and name, PUT the file to the upload URL in the response, then POST /rounds/{roundId}/start.',
    name: 'Name',
    created: 'Created',
    updated: 'Updated',
    status: 'Status',
    progress: 'Started / validated',
    progressTitle: 'Progress',
    failedCol: 'Failed',
    statuses: {
      AWAITING_UPLOAD: 'Waiting for the file',
      VALIDATING: 'Checking the file',
      REJECTED: 'Rejected',
      STARTING: 'Starting cases',
      STARTED: 'Started',
      FAILED: 'Failed',
    } satisfies Record<RoundStatus, string>,
    onInvalid: { skip: 'Start the good rows, skip bad ones', reject: 'Start nothing if a row is bad' },
    onInvalidLabel: 'With bad rows',
    attempt: 'Attempt',
    counters: 'Counts',
    counter: {
      total: 'Rows in the file',
      validated: 'Validated',
      invalid: 'Invalid',
      started: 'Cases started',
      failed: 'Not started',
      completed: 'Completed',
      expired: 'Expired',
      cancelled: 'Stopped',
      active: 'Active',
    },
    checking: 'The file is being checked row by row.',
    checked: (done: number, l: Locale) => `${num(done, l)} rows checked`,
    startedOf: (done: number, of: number, l: Locale) => `${num(done, l)} of ${num(of, l)} cases started`,
    awaiting: 'No file has been started for this round yet.',
    refreshNow: 'Update now',
    autoOn: 'Update automatically every 3 seconds',
    autoOff: 'Stop updating automatically',
    autoNote: 'This page reloads every 3 seconds while the round runs.',
    rowErrors: 'Invalid rows',
    rowFailures: 'Rows without a case',
    line: 'Line',
    column: 'Column',
    reason: 'Reason',
    reference: 'Reference',
    firstOf: (shown: number, all: number, l: Locale) => `The first ${num(shown, l)} of ${num(all, l)}.`,
    rejectedWhy: 'The round was rejected; no case was started.',
    failedWhy: 'The round stopped before every case was started.',
    whatToDo:
      'Fix the file, upload it again under the same name and start the round again. Cases already started are not started twice.',
    whatToDoFailed:
      'Start the round again under the same name, with the same file or a corrected one (see the reason and the rows below). Cases already started are not started twice.',
    spread: 'Where the cases are now',
    spreadNote: (n: number, l: Locale) =>
      `Active cases per stage and closed cases, counted over ${num(n, l)} cases.`,
    stage: 'Stage or outcome',
    count: 'Count',
    noStage: 'Not in a stage yet',
    back: 'Back to the rounds',
    backService: 'Back to the cases',
  },
} as const;

export { num };

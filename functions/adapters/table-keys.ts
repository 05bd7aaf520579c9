// The single-table layout, shared by the repository, the state machine compiler and the
// CDK table construct so that the three cannot drift apart.
//
//   pk                 sk                      what
//   CASE#<caseId>      #STEP#<stepId>          one step of either partner (gsi1 while an SMS answer is possible)
//   CASE#<caseId>      CASE                    the case (gsi2: per org+service, by status)
//   CASE#<caseId>      EVENT#<iso time>#<id>   append-only event log (an item may hold the events that came of
//                                              it at once, in followedBy: a step's invite and how its SMS went)
//   CASE#<caseId>      LOG#<iso time>#<span>   append-only processing log (who read or changed personal data)
//   CASE#<caseId>      DELEGATE#<delegateId>   someone who helps the citizen (delegation/): scope, expiry, sealed name
//   LINK#<sha256>      LINK                    citizen link -> case (the token itself is never stored); a
//                                              delegate's link also names the delegate (delegateId)
//   PHONE#<hmac>       OPTOUT                  STOP/AFMELDEN received from this number
//   SMS#<messageSid>   SMS                     inbound message seen, and the step it answers (a copy changes nothing)
//   SESSION#<hmac>     SESSION                 a console sign-in (keyed hash of its id; ttl = its end)
//   ROUND#<roundId>    ROUND                   a round (gsi2: per org+service, by creation)
//   ROUND#<roundId>    ERROR#<line>            a row that failed validation
//   ROUND#<roundId>    FAIL#<line>             a valid row whose case could not be started
//   CASE#<caseId>      TALLY#<fact>            a fact the service report counted (a stage visit, a reminder...)
//   REPORT#<org>#<svc> DAY#<day>#<stage>#<side> the report's running aggregate of one day, stage and side
// Cases started by a round also carry gsi3 (byRound), which projects only stage and status.
// byServiceCreated lists the same gsi2 partitions by creation time (keys only): a case's status moves
// it within byService, never within byServiceCreated, so a listing of every status pages through it.
//
// The state machines write the case, event and round items too, through DynamoDB integrations whose
// keys are `States.Format` strings. Every key function below only joins its arguments into strings,
// so called with States.Format's placeholder it returns the format string the state machine fills
// in: `keys.case(FORMAT_ARG).pk` is 'CASE#{}'. That way each key format is written once, here.

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  byPhone: { name: 'byPhone', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byService: { name: 'byService', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** gsi2pk by createdAt, keys only: both are written once, when the case (or round) is created. */
  byServiceCreated: { name: 'byServiceCreated', partitionKey: 'gsi2pk', sortKey: 'createdAt' },
  byRound: {
    name: 'byRound',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    nonKeyAttributes: ['stage', 'status'],
  },
} as const;

/** States.Format's placeholder: pass it to a key function to get the format string of that key. */
export const FORMAT_ARG = '{}';

/**
 * Attributes of the case item that only the state machine keeps (not part of the domain record):
 * - visits: stage entries over all of the case's executions (a re-opened step is a new attempt);
 * - execution: the name of the case's current execution; absent means the case id (the first);
 * - continuations: how often the case continued in a new execution (continue-as-new);
 * - budgetSeconds/budgetEvents: upper bounds of the time and history events the current execution
 *   has used, added at every stage entry and reset when the case continues in a new execution.
 */
export const CASE_BOOKKEEPING = {
  visits: 'visits',
  execution: 'execution',
  continuations: 'continuations',
  budgetSeconds: 'budgetSeconds',
  budgetEvents: 'budgetEvents',
} as const;

/** The name of a case's n-th execution (n >= 2); the first is named after the case. */
export const continuationName = (caseId: string, n: number | string) => `${caseId}-${n}`;

/** The id in CASE_CONTINUED's key (EVENT#<time>#<id>): one event per continuation. */
export const continuedEventId = (n: number | string) => `continued-${n}`;

const line9 = (line: number) => String(line).padStart(9, '0');

/**
 * The sort keys of a case's partition: the case item, and the prefixes of its steps and events. The steps
 * sort just before the case item ('#' before any letter) and the events after it, so that where a case
 * stands is one Query (sort keys up to CASE: its steps and the case) and so is its history (CASE up to the
 * last EVENT#: the case, its delegates and its events), neither reading what the other needs.
 */
export const CASE_PARTITION = {
  case: 'CASE',
  step: '#STEP#',
  event: 'EVENT#',
  processing: 'LOG#',
  delegate: 'DELEGATE#',
} as const;

/** Just past every sort key that starts with `prefix` ('$' follows '#'): where a BETWEEN over its kind ends. */
export const pastPrefix = (prefix: `${string}#`) => `${prefix.slice(0, -1)}$`;

export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: CASE_PARTITION.case }),
  step: (caseId: string, stepId: string) => ({ pk: `CASE#${caseId}`, sk: `${CASE_PARTITION.step}${stepId}` }),
  event: (caseId: string, at: string, id: string) => ({
    pk: `CASE#${caseId}`,
    sk: `${CASE_PARTITION.event}${at}#${id}`,
  }),
  processing: (caseId: string, at: string, spanId: string) => ({
    pk: `CASE#${caseId}`,
    sk: `${CASE_PARTITION.processing}${at}#${spanId}`,
  }),
  link: (linkHash: string) => ({ pk: `LINK#${linkHash}`, sk: 'LINK' }),
  delegate: (caseId: string, delegateId: string) => ({
    pk: `CASE#${caseId}`,
    sk: `${CASE_PARTITION.delegate}${delegateId}`,
  }),
  optOut: (phoneHash: string) => ({ pk: `PHONE#${phoneHash}`, sk: 'OPTOUT' }),
  inbound: (messageId: string) => ({ pk: `SMS#${messageId}`, sk: 'SMS' }),
  session: (sessionHash: string) => ({ pk: `SESSION#${sessionHash}`, sk: 'SESSION' }),
  round: (roundId: string) => ({ pk: `ROUND#${roundId}`, sk: 'ROUND' }),
  rowError: (roundId: string, line: number) => ({ pk: `ROUND#${roundId}`, sk: `ERROR#${line9(line)}` }),
  rowFailure: (roundId: string, line: number) => ({ pk: `ROUND#${roundId}`, sk: `FAIL#${line9(line)}` }),
  /** A fact the service report counted, so that a repeat of it counts nothing (functions/reports). */
  tallyMark: (caseId: string, fact: string) => ({ pk: `CASE#${caseId}`, sk: `TALLY#${fact}` }),
  /** The service report's aggregate of one day (UTC, YYYY-MM-DD), stage and side. */
  tally: (org: string, serviceId: string, day: string, stageId: string, side: string) => ({
    pk: `REPORT#${org}#${serviceId}`,
    sk: `DAY#${day}#${stageId}#${side}`,
  }),
  /** gsi1: open citizen steps by phone. */
  phoneIndex: (phoneHash: string, caseId: string, stepId: string) => ({
    gsi1pk: `PHONE#${phoneHash}`,
    gsi1sk: `${caseId}#${stepId}`,
  }),
  /** gsi2: cases per organisation and service, sorted by status then creation. */
  serviceIndex: (org: string, serviceId: string, status: string, createdAt: string, caseId: string) => ({
    gsi2pk: `SVC#${org}#${serviceId}`,
    gsi2sk: `${status}#${createdAt}#${caseId}`,
  }),
  /** gsi2 again: the rounds of an organisation and service, oldest first. */
  roundList: (org: string, serviceId: string, createdAt: string, roundId: string) => ({
    gsi2pk: `ROUNDS#${org}#${serviceId}`,
    gsi2sk: `${createdAt}#${roundId}`,
  }),
  /** gsi3: the cases of a round. */
  roundIndex: (roundId: string, caseId: string) => ({ gsi3pk: `ROUND#${roundId}`, gsi3sk: caseId }),
} as const;

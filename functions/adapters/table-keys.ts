// The single-table layout, shared by the repository, the state machine compiler and the
// CDK table construct so that the three cannot drift apart.
//
//   pk                 sk                      what
//   CASE#<caseId>      CASE                    the case (gsi2: per org+service, by status)
//   CASE#<caseId>      STEP#<stepId>           one step of either partner (gsi1 while an SMS answer is possible)
//   CASE#<caseId>      EVENT#<iso time>#<id>   append-only event log
//   LINK#<sha256>      LINK                    citizen link -> case (the token itself is never stored)
//   PHONE#<hmac>       OPTOUT                  STOP/AFMELDEN received from this number
//   SMS#<messageSid>   SMS                     inbound message seen (gateways retry webhooks)

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  byPhone: { name: 'byPhone', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byService: { name: 'byService', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  step: (caseId: string, stepId: string) => ({ pk: `CASE#${caseId}`, sk: `STEP#${stepId}` }),
  event: (caseId: string, at: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `EVENT#${at}#${id}` }),
  link: (linkHash: string) => ({ pk: `LINK#${linkHash}`, sk: 'LINK' }),
  optOut: (phoneHash: string) => ({ pk: `PHONE#${phoneHash}`, sk: 'OPTOUT' }),
  inbound: (messageId: string) => ({ pk: `SMS#${messageId}`, sk: 'SMS' }),
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
} as const;

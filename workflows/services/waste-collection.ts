import { defineService } from '../define';
import { feedbackStage } from '../feedback';

// One collection round. The household separates and presents its waste, the municipality collects it:
// neither works without the other, and both can say what went wrong. Every citizen step is a yes/no
// question, so the whole round can be done by SMS. Their titles are the questions themselves (ending in '?'),
// which is why the messages put no full stop after {step}.

export default defineService({
  id: 'waste-collection',
  title: { nl: 'Afvalinzameling', en: 'Waste collection' },
  summary: {
    nl: 'U scheidt uw afval en zet de container op tijd aan de straat; de gemeente haalt hem op. Allebei laten we weten hoe het ging, zodat problemen zoals een volle container of een vergeten straat snel worden opgelost.',
    en: 'You separate your waste and put the container out on time; the municipality collects it. We both report how it went, so that problems such as a full container or a missed street are solved quickly.',
  },
  providerKind: 'municipality',
  // What staff's reads and changes of this service's personal data are logged under (processing log).
  processingActivity: {
    id: 'afvalinzameling',
    purpose: {
      nl: 'de inzameling van uw huishoudelijk afval, samen met u geregeld',
      en: 'collecting your household waste, arranged together with you',
    },
  },
  // One row of a round's CSV file per household: where and when the container is collected.
  context: [
    {
      id: 'address',
      type: 'text',
      maxLength: 200,
      label: { nl: 'Adres', en: 'Address' },
      help: { nl: 'Straat, huisnummer en plaats', en: 'Street, house number and town' },
    },
    { id: 'collectionDate', type: 'date', label: { nl: 'Ophaaldag', en: 'Collection day' } },
  ],
  stages: [
    {
      id: 'round',
      title: { nl: 'Aanbieden en ophalen', en: 'Presenting and collecting' },
      steps: [
        {
          id: 'present',
          actor: 'citizen',
          title: { nl: 'Afval aangeboden?', en: 'Waste put out?' },
          instructions: {
            nl: 'Scheid uw afval (gft, papier, plastic en restafval) en zet de container op de ophaaldag voor 7.30 uur aan de straat, met de handgreep naar de weg. Laat daarna weten of het gelukt is. Zat de container te vol, is hij kapot of is hij niet geleegd? Meld het hier, dan lossen we het samen op.',
            en: 'Separate your waste (organic, paper, plastic and residual waste) and put the container at the kerb before 7.30 on collection day, handle towards the road. Then let us know whether that worked. Was the container too full, is it broken, or was it not emptied? Report it here and we will sort it out together.',
          },
          form: {
            fields: [
              {
                id: 'presented',
                type: 'yesNo',
                label: { nl: 'Heeft u het afval aangeboden?', en: 'Did you put out your waste?' },
              },
              {
                id: 'problem',
                type: 'choice',
                required: false,
                label: { nl: 'Ging er iets mis?', en: 'Did anything go wrong?' },
                options: [
                  {
                    value: 'container-full',
                    label: { nl: 'De container was te vol', en: 'The container was too full' },
                  },
                  {
                    value: 'container-broken',
                    label: { nl: 'De container is kapot', en: 'The container is broken' },
                  },
                  {
                    value: 'not-emptied',
                    label: { nl: 'De container is niet geleegd', en: 'The container was not emptied' },
                  },
                  { value: 'other', label: { nl: 'Iets anders', en: 'Something else' } },
                ],
              },
              {
                id: 'note',
                type: 'longText',
                required: false,
                maxLength: 1000,
                label: { nl: 'Toelichting', en: 'Comments' },
                help: {
                  nl: 'Wat moet de gemeente weten? Per sms: de tekst na JA of NEE komt hier.',
                  en: 'What should the municipality know? By SMS: the text after YES or NO goes here.',
                },
              },
            ],
          },
          reminders: ['PT20H'],
          due: 'P2D',
          expiry: 'P7D',
          // A household that is away on collection day asks for the next one, or the municipality moves a
          // collection after a holiday: at most a week either way, twice per side.
          proposals: { maxShift: 'P7D', perSide: 2 },
          sms: { field: 'presented', note: 'note' },
        },
        {
          id: 'collect',
          actor: 'provider',
          title: { nl: 'Afval ophalen', en: 'Collect the waste' },
          instructions: {
            nl: 'Leeg de container van dit huishouden en leg vast hoe het ging. Was het afval verkeerd gescheiden, stond er niets of was de container niet bereikbaar? Zeg het erbij, zodat het huishouden weet wat het de volgende keer anders kan doen.',
            en: "Empty this household's container and record how it went. Was the waste wrongly sorted, was nothing put out, or could the crew not reach the container? Say so, so that the household knows what to do differently next time.",
          },
          form: {
            fields: [
              {
                id: 'collected',
                type: 'yesNo',
                label: { nl: 'Is het afval opgehaald?', en: 'Was the waste collected?' },
              },
              {
                id: 'issue',
                type: 'choice',
                required: false,
                label: { nl: 'Bijzonderheid', en: 'Issue' },
                options: [
                  { value: 'wrongly-sorted', label: { nl: 'Verkeerd gescheiden', en: 'Wrongly sorted' } },
                  { value: 'container-full', label: { nl: 'Container te vol', en: 'Container too full' } },
                  { value: 'not-presented', label: { nl: 'Niet aangeboden', en: 'Not put out' } },
                  { value: 'unreachable', label: { nl: 'Niet bereikbaar', en: 'Could not be reached' } },
                  { value: 'container-broken', label: { nl: 'Container kapot', en: 'Container broken' } },
                ],
              },
              {
                id: 'note',
                type: 'longText',
                required: false,
                label: { nl: 'Toelichting voor het huishouden', en: 'Note for the household' },
              },
            ],
          },
          reminders: ['P1D'],
          due: 'P2D',
          expiry: 'P5D',
          // "Can you collect on Friday instead?": the household asks, the municipality answers; a week at most.
          proposals: { maxShift: 'P7D', perSide: 2 },
        },
      ],
    },
    feedbackStage({
      reopen: 'round',
      reminders: ['P2D'],
      due: 'P4D',
      expiry: 'P7D',
      citizen: {
        id: 'household-feedback',
        title: { nl: 'Ging het goed?', en: 'Did it go well?' },
        instructions: {
          nl: 'Bekijk wat de gemeente heeft gemeld en laat weten of de samenwerking goed ging. Bent u niet tevreden, bijvoorbeeld omdat uw container is blijven staan? Dan doen we deze ronde opnieuw.',
          en: 'See what the municipality reported and tell us whether the partnership went well. Not satisfied, for example because your container was left standing? Then we do this round again.',
        },
      },
      provider: {
        id: 'municipality-feedback',
        title: { nl: 'Ervaring gemeente', en: "Municipality's experience" },
        instructions: {
          nl: 'Laat het huishouden weten hoe de samenwerking vanuit de gemeente ging: werd het afval goed gescheiden en op tijd aangeboden, en wat kan de gemeente zelf beter doen?',
          en: "Tell the household how the partnership went from the municipality's side: was the waste sorted well and put out on time, and what can the municipality itself do better?",
        },
        note: { nl: 'Toelichting voor het huishouden', en: 'Note for the household' },
        help: {
          nl: 'Nee betekent: deze ronde wordt opnieuw gedaan.',
          en: 'No means: this round is done again.',
        },
        reopens: true,
      },
    }),
  ],
  // "Only half fixed": a household (or the municipality) that finds the container not emptied after
  // all can say so for two weeks, the time until the next regular collection at the latest; the
  // round runs again, both partners answering anew.
  reopen: { windowDays: 14, stage: 'round' },
  messages: {
    invitation: {
      nl: '{org}: {step} Antwoord {code} JA of NEE, of reageer via {link}',
      en: '{org}: {step} Reply {code} YES or NO, or use {link}',
    },
    reminder: {
      nl: 'Herinnering {org}: {step} Antwoord {code} JA of NEE, of {link}',
      en: 'Reminder {org}: {step} Reply {code} YES or NO, or {link}',
    },
    escalation: {
      nl: '{org}: nog open: {step} Antwoord {code} JA of NEE, of {link}',
      en: '{org}: still open: {step} Reply {code} YES or NO, or {link}',
    },
    confirmation: {
      nl: '{org}: dank u, uw antwoord is binnen. Zie wat wij doen: {link}',
      en: '{org}: thank you, we have your answer. See what we do: {link}',
    },
  },
});

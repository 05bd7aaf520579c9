import { defineService } from '../define';
import { feedbackStage } from '../feedback';

// The patient looks at their own possibilities together with the care provider. The provider proposes a
// plan that says what each side does; the patient accepts it or sends both back to the assessment.

export default defineService({
  id: 'care-plan',
  title: { nl: 'Zorgplan', en: 'Care plan' },
  summary: {
    nl: 'U kijkt naar wat u zelf kunt, of met hulp van mensen om u heen; de zorgverlener kijkt naar wat er aan zorg nodig is. Samen spreken we een zorgplan af, evalueren we het en zeggen we hoe de samenwerking ging.',
    en: 'You look at what you can do yourself, or with help from people around you; the care provider assesses what care is needed. Together we agree on a care plan, evaluate it and say how the partnership went.',
  },
  providerKind: 'care-provider',
  // What staff's reads and changes of this service's personal data are logged under (processing log).
  processingActivity: {
    id: 'zorgplan',
    purpose: {
      nl: 'het opstellen, uitvoeren en evalueren van uw zorgplan, samen met u',
      en: 'drawing up, carrying out and evaluating your care plan, together with you',
    },
  },
  context: [
    {
      id: 'careNeed',
      type: 'text',
      required: false,
      maxLength: 200,
      label: { nl: 'Zorgvraag', en: 'Care need' },
    },
  ],
  stages: [
    {
      id: 'assessment',
      title: { nl: 'Mogelijkheden en beoordeling', en: 'Possibilities and assessment' },
      steps: [
        {
          id: 'own-possibilities',
          actor: 'citizen',
          title: { nl: 'Wat u zelf kunt', en: 'What you can do' },
          instructions: {
            nl: 'Beschrijf wat u zelf kunt en wat u graag zelf blijft doen, wie in uw omgeving kan helpen en waar u hulp bij nodig heeft. Zo sluit de zorg aan op uw eigen mogelijkheden.',
            en: 'Describe what you can do yourself and would like to keep doing, who around you can help and what you need help with. That way the care fits your own possibilities.',
          },
          form: {
            fields: [
              {
                id: 'ownAbilities',
                type: 'longText',
                label: { nl: 'Wat kunt u zelf?', en: 'What can you do yourself?' },
              },
              {
                id: 'network',
                type: 'longText',
                required: false,
                label: { nl: 'Wie in uw omgeving kan helpen?', en: 'Who around you can help?' },
                help: {
                  nl: 'Bijvoorbeeld familie, buren, vrienden of vrijwilligers.',
                  en: 'For example family, neighbours, friends or volunteers.',
                },
              },
              {
                id: 'helpNeeded',
                type: 'longText',
                label: { nl: 'Waar heeft u hulp bij nodig?', en: 'What do you need help with?' },
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P21D',
          // Illness or a hospital stay: the patient asks for more time (up to the expiry period again).
          proposals: {},
        },
        {
          id: 'provider-assessment',
          actor: 'provider',
          title: { nl: 'Beoordeling zorgverlener', en: "Care provider's assessment" },
          instructions: {
            nl: 'Beoordeel de situatie en de zorgvraag, en neem daarbij mee wat de patiënt zelf kan en wie er in de omgeving helpt.',
            en: 'Assess the situation and the need for care, taking into account what the patient can do and who around them helps.',
          },
          form: {
            fields: [
              { id: 'assessment', type: 'longText', label: { nl: 'Beoordeling', en: 'Assessment' } },
              {
                id: 'careNeed',
                type: 'choice',
                label: { nl: 'Zorgbehoefte', en: 'Need for care' },
                options: [
                  { value: 'light', label: { nl: 'Licht', en: 'Light' } },
                  { value: 'moderate', label: { nl: 'Matig', en: 'Moderate' } },
                  { value: 'intensive', label: { nl: 'Intensief', en: 'Intensive' } },
                ],
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P21D',
          proposals: {},
        },
      ],
    },
    {
      id: 'agreement',
      title: { nl: 'Samen afspreken', en: 'Agreeing together' },
      steps: [
        {
          id: 'propose-plan',
          actor: 'provider',
          title: { nl: 'Zorgplan voorstellen', en: 'Propose the care plan' },
          instructions: {
            nl: 'Stel een zorgplan voor dat beschrijft wat de patiënt zelf doet, wat de omgeving doet en wat de zorgverlener doet. Wijst de patiënt het plan af, dan kijken we samen opnieuw naar de situatie.',
            en: 'Propose a care plan that describes what the patient does, what the people around them do and what the care provider does. If the patient rejects the plan, we look at the situation together again.',
          },
          form: {
            fields: [
              {
                id: 'plan',
                type: 'longText',
                label: { nl: 'Voorgestelde afspraken', en: 'Proposed arrangements' },
              },
              {
                id: 'patientPart',
                type: 'longText',
                label: { nl: 'Wat doet de patiënt zelf?', en: 'What does the patient do?' },
              },
              {
                id: 'providerPart',
                type: 'longText',
                label: { nl: 'Wat doet de zorgverlener?', en: 'What does the care provider do?' },
              },
              {
                id: 'hoursPerWeek',
                type: 'number',
                required: false,
                min: 0,
                max: 40,
                label: { nl: 'Uren zorg per week', en: 'Hours of care per week' },
              },
              { id: 'startDate', type: 'date', label: { nl: 'Startdatum', en: 'Start date' } },
              {
                id: 'contact',
                type: 'text',
                maxLength: 100,
                label: { nl: 'Vast aanspreekpunt', en: 'Contact person' },
                help: {
                  nl: 'Wie kan de patiënt bellen met vragen over het zorgplan?',
                  en: 'Whom can the patient call with questions about the care plan?',
                },
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P14D',
          proposals: {},
        },
        {
          id: 'accept-plan',
          actor: 'citizen',
          title: { nl: 'Zorgplan beoordelen', en: 'Review the care plan' },
          instructions: {
            nl: 'Lees het voorgestelde zorgplan. Gaat u akkoord? Zo niet, schrijf dan wat u anders wilt; dan kijken we samen opnieuw naar uw mogelijkheden en de zorg die nodig is.',
            en: 'Read the proposed care plan. Do you agree? If not, write what you would like to change; we will then look again together at your possibilities and the care needed.',
          },
          // The patient is asked once the plan exists: no agreeing to a plan nobody has written yet.
          after: 'propose-plan',
          form: {
            fields: [
              {
                id: 'agrees',
                type: 'yesNo',
                label: { nl: 'Gaat u akkoord met het zorgplan?', en: 'Do you agree with the care plan?' },
              },
              {
                id: 'note',
                type: 'longText',
                required: false,
                maxLength: 1000,
                label: { nl: 'Wat wilt u anders?', en: 'What would you like to change?' },
              },
            ],
          },
          reminders: ['P3D', 'P5D'],
          due: 'P7D',
          expiry: 'P14D',
          // Time to talk the plan over with family before saying yes or no.
          proposals: {},
          sms: { field: 'agrees', note: 'note' },
          // The service's texts say "via {link}" only: this one can be answered by text, and says so.
          messages: {
            invitation: {
              nl: '{org}: zorgplan klaar. Akkoord? Antwoord {code} JA of NEE, of zie {link}',
              en: '{org}: care plan ready. Agree? Reply {code} YES or NO, or see {link}',
            },
            reminder: {
              nl: 'Herinnering {org}: zorgplan akkoord? Stuur {code} JA of NEE of zie {link}',
              en: 'Reminder {org}: agree with the plan? Reply {code} YES or NO or see {link}',
            },
          },
          backTo: { stage: 'assessment', when: { field: 'agrees', equals: false } },
        },
      ],
    },
    {
      id: 'evaluation',
      title: { nl: 'Evaluatie', en: 'Evaluation' },
      steps: [
        {
          id: 'patient-evaluation',
          actor: 'citizen',
          title: { nl: 'Evaluatie zorgplan', en: 'Evaluating the plan' },
          instructions: {
            nl: 'Na zes weken kijken we hoe het gaat. Helpt het zorgplan u? Vertel wat u zelf heeft kunnen doen en wat er anders moet.',
            en: 'After six weeks we look at how it is going. Does the care plan help you? Tell us what you managed to do yourself and what should change.',
          },
          form: {
            fields: [
              {
                id: 'helps',
                type: 'yesNo',
                label: { nl: 'Helpt het zorgplan u?', en: 'Does the care plan help you?' },
              },
              {
                id: 'note',
                type: 'longText',
                required: false,
                maxLength: 1000,
                label: {
                  nl: 'Wat lukte zelf, wat moet anders?',
                  en: 'What did you manage, what should change?',
                },
              },
            ],
          },
          reminders: ['P5W', 'P6W'],
          due: 'P6W3D',
          expiry: 'P8W',
          // The evaluation moves with holidays and hospital stays: four weeks at most, so a plan is not left unevaluated.
          proposals: { maxShift: 'P4W' },
          sms: { field: 'helps', note: 'note' },
        },
        {
          id: 'provider-evaluation',
          actor: 'provider',
          title: { nl: 'Evaluatie zorgverlener', en: "Care provider's evaluation" },
          instructions: {
            nl: 'Evalueer het zorgplan samen met wat de patiënt meldt: wat werkt, wat kan de patiënt inmiddels zelf, en hoe gaan we verder?',
            en: 'Evaluate the care plan together with what the patient reports: what works, what can the patient now do themselves, and how do we continue?',
          },
          form: {
            fields: [
              { id: 'evaluation', type: 'longText', label: { nl: 'Evaluatie', en: 'Evaluation' } },
              {
                id: 'outcome',
                type: 'choice',
                label: { nl: 'Hoe verder?', en: 'How do we continue?' },
                options: [
                  { value: 'continue', label: { nl: 'Zorgplan voortzetten', en: 'Continue the care plan' } },
                  { value: 'adjust', label: { nl: 'Zorgplan aanpassen', en: 'Adjust the care plan' } },
                  { value: 'stop', label: { nl: 'Zorg afronden', en: 'Conclude the care' } },
                ],
              },
            ],
          },
          reminders: ['P5W', 'P6W'],
          due: 'P6W3D',
          expiry: 'P8W',
          proposals: { maxShift: 'P4W' },
        },
      ],
    },
    feedbackStage({
      reopen: 'evaluation',
      reminders: ['P3D'],
      due: 'P7D',
      expiry: 'P14D',
      citizen: {
        id: 'patient-feedback',
        title: { nl: 'Uw ervaring', en: 'Your experience' },
        instructions: {
          nl: 'Hoe vond u de samenwerking met uw zorgverlener? Bent u niet tevreden, dan evalueren we nog een keer samen.',
          en: 'How did you find working with your care provider? If you are not satisfied, we evaluate together once more.',
        },
      },
      provider: {
        id: 'provider-feedback',
        title: { nl: 'Ervaring zorgverlener', en: "Care provider's experience" },
        instructions: {
          nl: 'Hoe ging de samenwerking met de patiënt en de mensen om hem of haar heen, en wat kunt u zelf beter doen?',
          en: 'How did working with the patient and the people around them go, and what can you yourself do better?',
        },
        note: { nl: 'Toelichting voor de patiënt', en: 'Note for the patient' },
      },
    }),
  ],
  // A plan that turns out not to work at home is agreed again rather than evaluated again: four
  // weeks, about how long it takes to notice, after which a new care question is a new case.
  reopen: { windowDays: 28, stage: 'agreement' },
  messages: {
    invitation: {
      nl: '{org} vraagt: {step}. Graag voor {due} via {link}',
      en: '{org} asks: {step}. Please reply by {due} via {link}',
    },
    reminder: {
      nl: 'Herinnering {org}: {step}, voor {due} via {link}',
      en: 'Reminder {org}: {step}, by {due} via {link}',
    },
    escalation: {
      nl: '{org} wacht nog op: {step}. Reageer alsnog via {link}',
      en: '{org} is waiting for: {step}. Please reply via {link}',
    },
    confirmation: {
      nl: '{org}: dank u, uw antwoord is binnen. Zie de voortgang: {link}',
      en: '{org}: thank you, we have your answer. See the progress: {link}',
    },
  },
});

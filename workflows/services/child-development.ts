import { defineService } from '../define';
import { feedbackStage } from '../feedback';

// Parents and teacher each ask what they can contribute to the child's development: they share what they
// see, agree on goals with a part for home and a part for school, look back on them together, and say how
// the partnership went.

const progress = [
  { value: 'reached', label: { nl: 'Bereikt', en: 'Reached' } },
  { value: 'partly', label: { nl: 'Gedeeltelijk bereikt', en: 'Partly reached' } },
  { value: 'not-yet', label: { nl: 'Nog niet bereikt', en: 'Not reached yet' } },
];

export default defineService({
  id: 'child-development',
  title: { nl: 'Ontwikkeling van uw kind', en: "Your child's development" },
  summary: {
    nl: 'Ouders en leerkracht kennen het kind elk op hun eigen manier. Samen brengen we in kaart wat we zien, spreken we doelen af voor thuis en op school, en kijken we terug op wat het heeft opgeleverd.',
    en: 'Parents and teacher each know the child in their own way. Together we describe what we see, agree on goals for home and for school, and look back on what they achieved.',
  },
  providerKind: 'school',
  // What staff's reads and changes of this service's personal data are logged under (processing log).
  processingActivity: {
    id: 'ontwikkeling-leerling',
    purpose: {
      nl: 'het volgen en ondersteunen van de ontwikkeling van uw kind, samen met u',
      en: "following and supporting your child's development, together with you",
    },
  },
  context: [
    { id: 'childName', type: 'text', maxLength: 100, label: { nl: 'Naam van het kind', en: "Child's name" } },
    { id: 'group', type: 'text', required: false, maxLength: 40, label: { nl: 'Groep', en: 'Class' } },
  ],
  stages: [
    {
      id: 'observe',
      title: { nl: 'Wat zien we?', en: 'What do we see?' },
      steps: [
        {
          id: 'parent-observations',
          actor: 'citizen',
          title: { nl: 'Wat u thuis ziet', en: 'What you see at home' },
          instructions: {
            nl: 'U kent uw kind als geen ander. Vertel wat u thuis ziet: waar uw kind goed in is, waar het plezier in heeft en waar het moeite mee heeft. En wat kunt u zelf bijdragen?',
            en: 'You know your child like no one else. Tell us what you see at home: what your child is good at, enjoys and finds hard. And what can you contribute yourself?',
          },
          form: {
            fields: [
              {
                id: 'strengths',
                type: 'longText',
                label: { nl: 'Waar is uw kind goed in?', en: 'What is your child good at?' },
              },
              {
                id: 'concerns',
                type: 'longText',
                required: false,
                label: { nl: 'Waar maakt u zich zorgen over?', en: 'What are you worried about?' },
              },
              {
                id: 'contribution',
                type: 'longText',
                label: { nl: 'Wat kunt u thuis bijdragen?', en: 'What can you contribute at home?' },
                help: {
                  nl: 'Bijvoorbeeld samen lezen, vaste bedtijden of praten over de schooldag.',
                  en: 'For example reading together, fixed bedtimes or talking about the school day.',
                },
              },
            ],
          },
          reminders: ['P5D', 'P10D'],
          due: 'P14D',
          expiry: 'P28D',
          // Parents and teacher plan around each other's weeks; up to the expiry period again.
          proposals: {},
        },
        {
          id: 'teacher-observations',
          actor: 'provider',
          title: { nl: 'Wat ziet de leerkracht?', en: 'What the teacher sees' },
          instructions: {
            nl: 'Beschrijf wat u in de klas ziet: de sterke kanten van het kind, de aandachtspunten en wat de school kan bijdragen.',
            en: "Describe what you see in class: the child's strengths, the points for attention and what the school can contribute.",
          },
          form: {
            fields: [
              { id: 'strengths', type: 'longText', label: { nl: 'Sterke kanten', en: 'Strengths' } },
              {
                id: 'attention',
                type: 'longText',
                label: { nl: 'Aandachtspunten', en: 'Points for attention' },
              },
              {
                id: 'contribution',
                type: 'longText',
                label: { nl: 'Wat kan de school bijdragen?', en: 'What can the school contribute?' },
              },
            ],
          },
          reminders: ['P5D', 'P10D'],
          due: 'P14D',
          expiry: 'P28D',
          proposals: {},
        },
      ],
    },
    {
      id: 'goals',
      title: { nl: 'Doelen afspreken', en: 'Agreeing on goals' },
      steps: [
        {
          id: 'propose-goals',
          actor: 'provider',
          title: { nl: 'Doelen voorstellen', en: 'Propose goals' },
          instructions: {
            nl: 'Stel op basis van beide observaties doelen voor. Beschrijf per doel wat de school doet en wat de ouders thuis kunnen doen, en wanneer we samen terugkijken.',
            en: 'Based on both sets of observations, propose goals. For each goal, describe what the school will do, what the parents can do at home, and when we look back together.',
          },
          form: {
            fields: [
              { id: 'goals', type: 'longText', label: { nl: 'Voorgestelde doelen', en: 'Proposed goals' } },
              {
                id: 'atSchool',
                type: 'longText',
                label: { nl: 'Wat doet de school?', en: 'What will the school do?' },
              },
              {
                id: 'atHome',
                type: 'longText',
                label: { nl: 'Wat kunnen de ouders thuis doen?', en: 'What can the parents do at home?' },
              },
              {
                id: 'reviewDate',
                type: 'date',
                required: false,
                label: { nl: 'Wanneer kijken we terug?', en: 'When do we look back?' },
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P21D',
          proposals: {},
        },
        {
          id: 'agree-goals',
          actor: 'citizen',
          title: { nl: 'Doelen bespreken', en: 'Discuss the goals' },
          instructions: {
            nl: 'Bekijk de doelen die de leerkracht voorstelt. Kunt u zich erin vinden? Schrijf erbij wat u wilt aanvullen of anders wilt zien; de leerkracht neemt dat mee.',
            en: 'Look at the goals the teacher proposes. Do you agree with them? Add what you would like to add or change; the teacher will take it into account.',
          },
          // The parent is asked once the goals exist, not before.
          after: 'propose-goals',
          form: {
            fields: [
              {
                id: 'agrees',
                type: 'yesNo',
                label: { nl: 'Bent u het eens met de doelen?', en: 'Do you agree with the goals?' },
              },
              {
                id: 'note',
                type: 'longText',
                required: false,
                maxLength: 1000,
                label: { nl: 'Aanvulling of andere wens', en: 'Additions or other wishes' },
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P21D',
          proposals: {},
          sms: { field: 'agrees', note: 'note' },
          // The service's texts say "via {link}" only: this one can be answered by text, and says so.
          messages: {
            invitation: {
              nl: '{org}: de doelen staan klaar. Eens? Antwoord {code} JA of NEE of zie {link}',
              en: '{org}: the goals are ready. Agree? Reply {code} YES or NO or see {link}',
            },
            reminder: {
              nl: 'Herinnering {org}: eens met de doelen? Stuur {code} JA of NEE of zie {link}',
              en: 'Reminder {org}: agree with the goals? Reply {code} YES or NO or see {link}',
            },
          },
        },
      ],
    },
    {
      id: 'review',
      title: { nl: 'Samen terugkijken', en: 'Looking back together' },
      steps: [
        {
          id: 'parent-review',
          actor: 'citizen',
          title: { nl: 'Voortgang thuis', en: 'Progress at home' },
          instructions: {
            nl: 'Na een aantal weken kijken we samen terug. Hoe gaat het thuis met de doelen? Wat werkte goed, en wat heeft uw kind nog nodig?',
            en: 'After some weeks we look back together. How are the goals going at home? What worked well, and what does your child still need?',
          },
          form: {
            fields: [
              {
                id: 'progress',
                type: 'choice',
                label: { nl: 'Hoe staat het met de doelen?', en: 'How are the goals going?' },
                options: progress,
              },
              { id: 'note', type: 'longText', required: false, label: { nl: 'Toelichting', en: 'Comments' } },
            ],
          },
          reminders: ['P6W', 'P7W'],
          due: 'P8W',
          expiry: 'P10W',
          // School holidays move a review; four weeks at most, once the school year runs on.
          proposals: { maxShift: 'P4W' },
        },
        {
          id: 'teacher-review',
          actor: 'provider',
          title: { nl: 'Voortgang op school', en: 'Progress at school' },
          instructions: {
            nl: 'Beschrijf hoe het kind zich op school heeft ontwikkeld ten opzichte van de doelen en wat de volgende stap is, thuis en op school.',
            en: 'Describe how the child has developed at school against the goals, and what the next step is, at home and at school.',
          },
          form: {
            fields: [
              {
                id: 'progress',
                type: 'choice',
                label: { nl: 'Hoe staat het met de doelen?', en: 'How are the goals going?' },
                options: progress,
              },
              {
                id: 'evaluation',
                type: 'longText',
                label: { nl: 'Wat ziet u op school?', en: 'What do you see at school?' },
              },
              {
                id: 'nextSteps',
                type: 'longText',
                required: false,
                label: { nl: 'Volgende stappen', en: 'Next steps' },
              },
            ],
          },
          reminders: ['P6W', 'P7W'],
          due: 'P8W',
          expiry: 'P10W',
          proposals: { maxShift: 'P4W' },
        },
      ],
    },
    feedbackStage({
      reopen: 'review',
      reminders: ['P3D'],
      due: 'P7D',
      expiry: 'P14D',
      citizen: {
        id: 'parent-feedback',
        title: { nl: 'Uw ervaring', en: 'Your experience' },
        instructions: {
          nl: 'Hoe vond u de samenwerking met de school? Bent u niet tevreden, dan kijken we nog een keer samen terug.',
          en: 'How did you find working with the school? If you are not satisfied, we look back together once more.',
        },
      },
      provider: {
        id: 'school-feedback',
        title: { nl: 'Ervaring school', en: "School's experience" },
        instructions: {
          nl: 'Hoe ging de samenwerking met de ouders, en wat kan de school zelf beter doen?',
          en: 'How did working with the parents go, and what can the school itself do better?',
        },
        note: { nl: 'Toelichting voor de ouders', en: 'Note for the parents' },
      },
    }),
  ],
  // Parents or teacher may find the goals were not met after all: the review is done again within
  // four weeks (a school's usual period between talks); later, a new round starts with observing.
  reopen: { windowDays: 28, stage: 'review' },
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

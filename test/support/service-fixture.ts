import type { Service } from '../../workflows/schema';

// A small service in its parsed shape (defaults applied), independent of the real catalogue so the
// domain and handler tests do not change when a definition is edited. Tests mock workflows/catalog
// with it: `vi.mock('.../workflows/catalog', () => catalogMock)`.

const b = (nl: string, en: string) => ({ nl, en });

export const testService: Service = {
  id: 'waste-collection',
  title: b('Afval ophalen', 'Waste collection'),
  summary: b('Samen het afval scheiden en ophalen.', 'Separating and collecting waste together.'),
  providerKind: 'municipality',
  processingActivity: {
    id: 'afvalinzameling',
    purpose: b('het ophalen van uw afval', 'collecting your waste'),
  },
  context: [],
  stages: [
    {
      id: 'prepare',
      title: b('Voorbereiden', 'Prepare'),
      steps: [
        {
          id: 'confirm-address',
          actor: 'citizen',
          title: b('Adres bevestigen', 'Confirm address'),
          instructions: b('Klopt uw adres?', 'Is your address right?'),
          form: {
            fields: [
              { id: 'correct', type: 'yesNo', label: b('Klopt het?', 'Is it right?'), required: true },
              { id: 'note', type: 'text', label: b('Opmerking', 'Note'), required: false, maxLength: 20 },
              {
                id: 'bins',
                type: 'number',
                label: b('Aantal bakken', 'Number of bins'),
                required: false,
                min: 1,
                max: 4,
                integer: true,
              },
            ],
          },
          reminders: ['P3D'],
          due: 'P7D',
          expiry: 'P14D',
          sms: { field: 'correct', note: 'note' },
        },
        {
          id: 'plan-route',
          actor: 'provider',
          title: b('Route plannen', 'Plan the route'),
          instructions: b('Kies een ophaaldag.', 'Choose a collection day.'),
          form: {
            fields: [
              { id: 'day', type: 'date', label: b('Ophaaldag', 'Collection day'), required: true },
              {
                id: 'kind',
                type: 'choice',
                label: b('Soort', 'Kind'),
                required: true,
                options: [
                  { value: 'rest', label: b('Restafval', 'Residual') },
                  { value: 'gft', label: b('GFT', 'Organic') },
                ],
              },
            ],
          },
          reminders: [],
          due: 'P7D',
          expiry: 'P14D',
        },
      ],
    },
    {
      id: 'collect',
      title: b('Ophalen', 'Collect'),
      steps: [
        {
          id: 'put-out',
          actor: 'citizen',
          title: b('Bak buiten zetten', 'Put the bin out'),
          instructions: b('Zet de bak aan de straat.', 'Put the bin at the kerb.'),
          form: { fields: [{ id: 'done', type: 'yesNo', label: b('Gedaan?', 'Done?'), required: true }] },
          reminders: [],
          due: 'P1D',
          expiry: 'P2D',
        },
        {
          id: 'empty-bin',
          actor: 'provider',
          title: b('Bak legen', 'Empty the bin'),
          instructions: b('Leeg de bak.', 'Empty the bin.'),
          form: {
            fields: [
              {
                id: 'remark',
                type: 'longText',
                label: b('Toelichting', 'Remark'),
                required: false,
                maxLength: 2000,
              },
            ],
          },
          reminders: [],
          due: 'P1D',
          expiry: 'P2D',
        },
      ],
    },
  ],
  messages: {
    invitation: b('{org}: {service}. Zie {link}', '{org}: {service}. See {link}'),
    reminder: b('Herinnering: {step} voor {due}.', 'Reminder: {step} by {due}.'),
    escalation: b('{step} is te laat.', '{step} is late.'),
    confirmation: b('Dank u.', 'Thank you.'),
  },
};

export const catalogMock = {
  services: [testService],
  findService: (id: string) => (id === testService.id ? testService : undefined),
};

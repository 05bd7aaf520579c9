import { parseService, type Service, type ServiceInput } from '../../workflows/schema';

const t = (en: string) => ({ nl: en, en });
const field = (id: string) => ({ id, label: t(id), type: 'text' as const });

/** A small, valid two-stage service; stage 2 holds a citizen step that can send the case back. */
export function sampleService(id = 'repair-request', overrides: Partial<ServiceInput> = {}): Service {
  return parseService(`${id}.ts`, {
    id,
    title: t(`Service ${id}`),
    summary: t('A test service'),
    providerKind: 'municipality',
    processingActivity: { id: 'repair-requests', purpose: t('handling your repair request') },
    messages: { invitation: t('inv'), reminder: t('rem'), escalation: t('esc'), confirmation: t('conf') },
    stages: [
      {
        id: 'report',
        title: t('Report'),
        steps: [
          {
            id: 'describe',
            actor: 'citizen',
            title: t('Describe'),
            instructions: t('Describe the problem'),
            form: { fields: [field('description')] },
            reminders: ['P2D', 'P4D'],
            due: 'P7D',
            expiry: 'P14D',
          },
          {
            id: 'acknowledge',
            actor: 'provider',
            title: t('Acknowledge'),
            instructions: t('Acknowledge the report'),
            form: { fields: [field('note')] },
            due: 'PT12H',
            expiry: 'P1D',
          },
        ],
      },
      {
        id: 'plan',
        title: t('Plan'),
        steps: [
          {
            id: 'propose',
            actor: 'provider',
            title: t('Propose'),
            instructions: t('Propose a plan'),
            form: { fields: [field('plan')] },
            reminders: ['P1D'],
            due: 'P3D',
            expiry: 'P5D',
          },
          {
            id: 'agree',
            actor: 'citizen',
            title: t('Agree'),
            instructions: t('Do you agree?'),
            form: {
              fields: [
                { id: 'agreed', label: t('Agreed'), type: 'yesNo' },
                { ...field('comment'), required: false },
              ],
            },
            due: 'P3D',
            expiry: 'P10D',
            backTo: { stage: 'report', when: { field: 'agreed', equals: false } },
          },
        ],
      },
    ],
    ...overrides,
  });
}

import type { ServiceInput } from './schema';

// Every service ends the same way: both partners say how the partnership went, and an unhappy
// answer reopens the stage before. Only the words and the timing differ per service.

type Text = { nl: string; en: string };
type StageInput = ServiceInput['stages'][number];

export interface FeedbackSide {
  id: string;
  title: Text;
  instructions: Text;
  /** Label of the optional note field; the citizen's asks what could be better on either side. */
  note?: Text;
  /** Help under the yes/no question. */
  help?: Text;
  /** Whether this side's "no" reopens the previous stage too (the citizen's always does). */
  reopens?: boolean;
}

export interface FeedbackOptions {
  /** The stage an unhappy answer goes back to. */
  reopen: string;
  citizen: FeedbackSide;
  provider: FeedbackSide;
  reminders: string[];
  due: string;
  expiry: string;
}

const question: Text = { nl: 'Ging de samenwerking goed?', en: 'Did the partnership go well?' };
const citizenNote: Text = {
  nl: 'Wat kan beter, bij u of bij ons?',
  en: 'What could be better, on your side or ours?',
};

export function feedbackStage(o: FeedbackOptions): StageInput {
  const step = (side: FeedbackSide, actor: 'citizen' | 'provider', reopens: boolean) => ({
    id: side.id,
    actor,
    title: side.title,
    instructions: side.instructions,
    form: {
      fields: [
        { id: 'satisfied', type: 'yesNo' as const, label: question, ...(side.help && { help: side.help }) },
        {
          id: 'note',
          type: 'longText' as const,
          required: false,
          ...(actor === 'citizen' && { maxLength: 1000 }),
          label: side.note ?? citizenNote,
        },
      ],
    },
    reminders: o.reminders,
    due: o.due,
    expiry: o.expiry,
    ...(actor === 'citizen' && { sms: { field: 'satisfied', note: 'note' } }),
    ...(reopens && { backTo: { stage: o.reopen, when: { field: 'satisfied', equals: false } } }),
  });
  return {
    id: 'feedback',
    title: { nl: 'Hoe ging het samen?', en: 'How did we do together?' },
    steps: [step(o.citizen, 'citizen', true), step(o.provider, 'provider', o.provider.reopens ?? false)],
  };
}

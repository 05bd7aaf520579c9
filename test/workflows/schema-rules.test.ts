import { describe, expect, it } from 'vitest';
import { DefinitionError, parseService, type ServiceInput } from '../../workflows/schema';
import carePlan from '../../workflows/services/care-plan';

// Each broken definition must fail with one line that names the file, the JSON path and the rule, so the
// author of a definition can fix it from the `cdk synth` output alone.

const FILE = 'workflows/services/care-plan.ts';

type Step = ServiceInput['stages'][number]['steps'][number];

/** A copy of the care plan with one change; stage and step are addressed by index, as in the JSON path. */
function broken(
  change: (s: ServiceInput, step: (stage: number, step: number) => Step) => void,
): ServiceInput {
  const copy = structuredClone(carePlan);
  change(copy, (si, pi) => {
    const step = copy.stages[si]?.steps[pi];
    if (!step) throw new Error(`no step ${si}/${pi}`);
    return step;
  });
  return copy;
}

function failure(definition: unknown): string {
  try {
    parseService(FILE, definition);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as Error).message;
  }
  throw new Error('the definition was accepted');
}

/** [what is broken, definition, JSON path, rule (a prefix of the line, or a pattern)] */
const cases: [string, ServiceInput, string, string | RegExp][] = [
  [
    'duplicate stage id',
    broken((s) => {
      if (s.stages[2]) s.stages[2].id = 'agreement';
    }),
    '$.stages[2].id',
    "rule: stage ids are unique ('agreement' repeats)",
  ],
  [
    'duplicate step id',
    broken((_, step) => {
      step(1, 0).id = 'own-possibilities';
    }),
    '$.stages[1].steps[0].id',
    "rule: step ids are unique in a service ('own-possibilities' repeats)",
  ],
  [
    'stage with only one actor',
    broken((_, step) => {
      step(0, 1).actor = 'citizen';
    }),
    '$.stages[0].steps',
    'rule: every stage holds steps of both citizen and provider',
  ],
  [
    'stage with a single step',
    broken((s) => {
      s.stages[0]?.steps.pop();
    }),
    '$.stages[0].steps',
    'rule: a stage holds at least two steps, one per partner',
  ],
  [
    'reminder on the due date',
    broken((_, step) => {
      step(0, 0).reminders = ['P3D', 'P7D'];
    }),
    '$.stages[0].steps[0].reminders[1]',
    'rule: every reminder comes before the due date',
  ],
  [
    'expiry on the due date',
    broken((_, step) => {
      step(0, 0).expiry = 'P1W';
    }),
    '$.stages[0].steps[0].expiry',
    'rule: expiry comes after the due date',
  ],
  [
    'reminders out of order',
    broken((_, step) => {
      step(1, 1).reminders = ['P5D', 'P3D'];
    }),
    '$.stages[1].steps[1].reminders[1]',
    'rule: reminders are in increasing order',
  ],
  [
    'reopen at a stage that does not exist',
    broken((s) => {
      s.reopen = { windowDays: 28, stage: 'intake' };
    }),
    '$.reopen.stage',
    "rule: reopen.stage names a stage of this service ('intake' is not one)",
  ],
  [
    'a reopen window of no days',
    broken((s) => {
      s.reopen = { windowDays: 0, stage: 'agreement' };
    }),
    '$.reopen.windowDays',
    'rule: a reopen window is at least one day',
  ],
  [
    'backTo a later stage',
    broken((_, step) => {
      step(1, 1).backTo = { stage: 'evaluation', when: { field: 'agrees', equals: false } };
    }),
    '$.stages[1].steps[1].backTo.stage',
    "rule: backTo names an earlier stage ('evaluation' is not one)",
  ],
  [
    'backTo the same stage',
    broken((_, step) => {
      step(1, 1).backTo = { stage: 'agreement', when: { field: 'agrees', equals: false } };
    }),
    '$.stages[1].steps[1].backTo.stage',
    "rule: backTo names an earlier stage ('agreement' is not one)",
  ],
  [
    'backTo a stage that does not exist',
    broken((_, step) => {
      step(1, 1).backTo = { stage: 'intake', when: { field: 'agrees', equals: false } };
    }),
    '$.stages[1].steps[1].backTo.stage',
    "rule: backTo names an earlier stage ('intake' is not one)",
  ],
  [
    'backTo field missing',
    broken((_, step) => {
      step(1, 1).backTo = { stage: 'assessment', when: { field: 'agreed', equals: false } };
    }),
    '$.stages[1].steps[1].backTo.when.field',
    'rule: backTo.when.field names a field of this step',
  ],
  [
    'backTo on a free-text field (its value would enter the execution history)',
    broken((_, step) => {
      step(1, 1).backTo = { stage: 'assessment', when: { field: 'note', equals: 'nee' } };
    }),
    '$.stages[1].steps[1].backTo.when.field',
    "rule: backTo reads a yesNo, choice, number field ('note' is longText: what a person writes stays out of the execution history)",
  ],
  [
    'sms field missing',
    broken((_, step) => {
      step(1, 1).sms = { field: 'answer', note: 'note' };
    }),
    '$.stages[1].steps[1].sms.field',
    'rule: sms.field names a field of this step',
  ],
  [
    'sms note that is not a text field',
    broken((_, step) => {
      step(1, 1).sms = { field: 'note', note: 'agrees' };
    }),
    '$.stages[1].steps[1].sms.note',
    'rule: sms.note names a text field of this step',
  ],
  [
    'sms that leaves a required field open',
    broken((_, step) => {
      step(1, 1).form.fields.push({ id: 'reason', type: 'text', label: { nl: 'Reden', en: 'Reason' } });
    }),
    '$.stages[1].steps[1].sms',
    "rule: an SMS reply can complete the step (required field 'reason' is not covered)",
  ],
  [
    'sms on a provider step',
    broken((_, step) => {
      step(1, 0).sms = { field: 'plan' };
    }),
    '$.stages[1].steps[0].sms',
    'rule: only citizen steps are answered by SMS',
  ],
  [
    'a month duration',
    broken((_, step) => {
      step(2, 1).due = 'P1M';
    }),
    '$.stages[2].steps[1].due',
    'rule: durations are ISO 8601 in weeks, days, hours or minutes',
  ],
  [
    'a year duration',
    broken((_, step) => {
      step(2, 1).expiry = 'P1Y';
    }),
    '$.stages[2].steps[1].expiry',
    'rule: durations are ISO 8601 in weeks, days, hours or minutes',
  ],
  [
    'an unknown key',
    broken((_, step) => {
      Object.assign(step(0, 0), { colour: 'green' });
    }),
    '$.stages[0].steps[0]',
    /Unrecognized key: "colour"/,
  ],
  [
    'fewer than two stages',
    broken((s) => {
      s.stages.splice(1);
    }),
    '$.stages',
    'rule: a service has at least two stages',
  ],
  [
    'stages whose expiries add up to more than a year',
    broken((s) => {
      for (const stage of s.stages) for (const step of stage.steps) step.expiry = 'P14W';
    }),
    '$.stages',
    'rule: the expiries of all stages add up to less than a year (Step Functions limit)',
  ],
  [
    'texts of a provider step',
    broken((_, step) => {
      step(1, 0).messages = { invitation: { nl: '{org}: {link}', en: '{org}: {link}' } };
    }),
    '$.stages[1].steps[0].messages',
    'rule: only citizen steps are texted, so only they have messages',
  ],
  [
    'a confirmation text of a step not answered by SMS',
    broken((_, step) => {
      step(0, 0).messages = { confirmation: { nl: '{org}: dank u', en: '{org}: thanks' } };
    }),
    '$.stages[0].steps[0].messages.confirmation',
    'rule: a confirmation is sent only for steps answered by SMS',
  ],
  [
    'a step after a later step of its stage',
    broken((_, step) => {
      step(1, 0).after = 'accept-plan';
    }),
    '$.stages[1].steps[0].after',
    "rule: after names an earlier step of the same stage ('accept-plan' is not one)",
  ],
  [
    'a step after a step of another stage',
    broken((_, step) => {
      step(1, 1).after = 'own-possibilities';
    }),
    '$.stages[1].steps[1].after',
    "rule: after names an earlier step of the same stage ('own-possibilities' is not one)",
  ],
  [
    'two steps after one',
    broken((s, step) => {
      const second = { ...structuredClone(step(1, 1)), id: 'sign-plan', backTo: undefined, sms: undefined };
      s.stages[1]?.steps.push(second);
    }),
    '$.stages[1].steps[2].after',
    "rule: at most one step follows a step ('propose-plan' already has one)",
  ],
  [
    'a step after one that sends the case back',
    broken((s, step) => {
      const confirm = { ...structuredClone(step(1, 0)), id: 'confirm-plan', after: 'accept-plan' };
      s.stages[1]?.steps.push(confirm);
    }),
    '$.stages[1].steps[2].after',
    "rule: a step that sends the case back is followed by no step ('accept-plan' has backTo)",
  ],
  [
    // Half a year each: side by side they would fit in a year with the other stages, one after the other not.
    'a chain of steps whose expiries add up to more than a year',
    broken((_, step) => {
      for (const at of [0, 1]) {
        step(1, at).expiry = 'P26W';
        step(1, at).proposals = undefined;
      }
    }),
    '$.stages',
    'rule: the expiries of all stages add up to less than a year (Step Functions limit)',
  ],
  [
    'duplicate field id',
    broken((_, step) => {
      step(0, 0).form.fields.push({ id: 'network', type: 'yesNo', label: { nl: 'Net', en: 'Net' } });
    }),
    '$.stages[0].steps[0].form.fields[3].id',
    "rule: field ids are unique in a form ('network')",
  ],
  [
    'a number with min above max',
    broken((_, step) => {
      step(1, 0).form.fields[3] = {
        id: 'hours',
        type: 'number',
        min: 5,
        max: 1,
        label: { nl: 'U', en: 'H' },
      };
    }),
    '$.stages[1].steps[0].form.fields[3]',
    'rule: number min is at most max',
  ],
  [
    'a context field named like a CSV column',
    broken((s) => {
      s.context = [{ id: 'phone', type: 'text', label: { nl: 'Telefoon', en: 'Phone' } }];
    }),
    '$.context[0].id',
    "rule: context field ids differ from the CSV columns reference, name, phone, email, locale, line ('phone')",
  ],
  [
    'a context field named line (the column of the validated file)',
    broken((s) => {
      s.context = [
        { id: 'careNeed', type: 'text', label: { nl: 'Zorgvraag', en: 'Care need' } },
        { id: 'line', type: 'number', label: { nl: 'Regel', en: 'Line' } },
      ];
    }),
    '$.context[1].id',
    "rule: context field ids differ from the CSV columns reference, name, phone, email, locale, line ('line')",
  ],
  [
    'a repeated context field id',
    broken((s) => {
      s.context = [
        { id: 'careNeed', type: 'text', label: { nl: 'Zorgvraag', en: 'Care need' } },
        { id: 'careNeed', type: 'date', label: { nl: 'Datum', en: 'Date' } },
      ];
    }),
    '$.context[1].id',
    "rule: context field ids are unique ('careNeed')",
  ],
  [
    'a long text in the context',
    broken((s) => {
      s.context = [{ id: 'history', type: 'longText', label: { nl: 'Voorgeschiedenis', en: 'History' } }];
    }),
    '$.context[0].type',
    'rule: context fields are text, date, number, choice, yesNo (a longText does not fit a CSV cell)',
  ],
  [
    'a context number with min above max',
    broken((s) => {
      s.context = [{ id: 'size', type: 'number', min: 3, max: 2, label: { nl: 'Grootte', en: 'Size' } }];
    }),
    '$.context[0]',
    'rule: number min is at most max',
  ],
  [
    'a context field id that is not camelCase',
    broken((s) => {
      s.context = [{ id: 'care-need', type: 'text', label: { nl: 'Zorgvraag', en: 'Care need' } }];
    }),
    '$.context[0].id',
    'rule: field ids are camelCase',
  ],
  [
    'a badly formed id',
    broken((s) => {
      s.id = 'Care_Plan';
    }),
    '$.id',
    'rule: ids are lowercase letters, digits and dashes',
  ],
];

describe('definition rules', () => {
  it('accepts the unchanged definition', () => {
    expect(
      parseService(
        FILE,
        broken(() => {}),
      ).id,
    ).toBe('care-plan');
  });

  it.each(cases)('refuses %s, naming file, path and rule', (_, definition, path, rule) => {
    const message = failure(definition);
    const line = message.split('\n').find((l) => l.startsWith(`  ${FILE}: ${path}: `));
    expect(line, message).toBeDefined();
    if (typeof rule === 'string') expect(line?.startsWith(`  ${FILE}: ${path}: ${rule}`), line).toBe(true);
    else expect(line).toMatch(rule);
    expect(message.startsWith(`Invalid service definition ${FILE}\n`)).toBe(true);
  });

  it('accepts every context field type a CSV cell can hold, and no context at all', () => {
    const context: ServiceInput['context'] = [
      { id: 'street', type: 'text', label: { nl: 'Straat', en: 'Street' } },
      { id: 'since', type: 'date', label: { nl: 'Sinds', en: 'Since' } },
      { id: 'size', type: 'number', min: 1, max: 9, label: { nl: 'Grootte', en: 'Size' } },
      { id: 'owner', type: 'yesNo', required: false, label: { nl: 'Eigenaar', en: 'Owner' } },
      {
        id: 'kind',
        type: 'choice',
        label: { nl: 'Soort', en: 'Kind' },
        options: [
          { value: 'house', label: { nl: 'Huis', en: 'House' } },
          { value: 'flat', label: { nl: 'Flat', en: 'Flat' } },
        ],
      },
    ];
    const parsed = parseService(
      FILE,
      broken((s) => {
        s.context = context;
      }),
    );
    expect(parsed.context.map((f) => [f.id, f.type, f.required])).toEqual([
      ['street', 'text', true],
      ['since', 'date', true],
      ['size', 'number', true],
      ['owner', 'yesNo', false],
      ['kind', 'choice', true],
    ]);
    const without = parseService(
      FILE,
      broken((s) => {
        delete s.context;
      }),
    );
    expect(without.context).toEqual([]);
  });

  it('reports a malformed duration once, not as a crash of the other rules', () => {
    const message = failure(
      broken((_, step) => {
        step(0, 0).due = 'P1M';
        step(0, 0).reminders = ['P2X', 'P1D'];
      }),
    );
    expect(message.split('\n').slice(1)).toEqual([
      `  ${FILE}: $.stages[0].steps[0].reminders[0]: rule: durations are ISO 8601 in weeks, days, hours or minutes (for example P7D or PT12H)`,
      `  ${FILE}: $.stages[0].steps[0].due: rule: durations are ISO 8601 in weeks, days, hours or minutes (for example P7D or PT12H)`,
    ]);
  });

  it('reports every broken rule of a definition, one per line', () => {
    const message = failure(
      broken((s, step) => {
        if (s.stages[1]) s.stages[1].id = 'assessment';
        step(1, 0).sms = { field: 'plan' };
      }),
    );
    expect(message).toContain(`${FILE}: $.stages[1].id: rule: stage ids are unique`);
    expect(message).toContain(
      `${FILE}: $.stages[1].steps[0].sms: rule: only citizen steps are answered by SMS`,
    );
  });
});

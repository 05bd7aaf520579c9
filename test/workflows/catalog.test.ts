import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findService, services } from '../../workflows/catalog';
import { normalizeService } from '../../workflows/normalize';
import { type ServiceInput, serviceSchema } from '../../workflows/schema';
import carePlan from '../../workflows/services/care-plan';
import childDevelopment from '../../workflows/services/child-development';
import wasteCollection from '../../workflows/services/waste-collection';
import { serviceSources } from '../../workflows/sources';

// The runtime reads the catalog, which applies the schema's defaults by hand; it must give exactly what
// the schema gives, or the console, the forms and the state machines would disagree.

describe('normalizeService', () => {
  it.each([
    ['waste-collection', wasteCollection],
    ['child-development', childDevelopment],
    ['care-plan', carePlan],
  ])('equals serviceSchema.parse for %s', (_, definition) => {
    expect(normalizeService(definition)).toStrictEqual(serviceSchema.parse(definition));
  });

  it('applies every default and trims like the schema, keeping values that are given', () => {
    const t = (x: string) => ({ nl: ` ${x} `, en: `${x}\n` });
    const step = (id: string, actor: 'citizen' | 'provider') => ({
      id,
      actor,
      title: t('T'),
      instructions: t('I'),
    });
    const definition: ServiceInput = {
      id: 'all-defaults',
      title: t('Titel'),
      summary: t('Samenvatting'),
      providerKind: 'school',
      processingActivity: { id: 'pupils', purpose: t('Doel') },
      context: [
        { id: 'pupil', type: 'text', label: t('P') },
        { id: 'group', type: 'text', label: t('G'), maxLength: 40, required: false },
      ],
      stages: [
        {
          id: 'one',
          title: t('Een'),
          steps: [
            {
              ...step('sa', 'citizen'),
              due: 'P1D',
              expiry: 'P2D',
              form: {
                fields: [
                  { id: 'short', type: 'text', label: t('S'), help: t('H') },
                  { id: 'shortGiven', type: 'text', label: t('S'), maxLength: 20, required: false },
                  { id: 'long', type: 'longText', label: t('L') },
                  { id: 'longGiven', type: 'longText', label: t('L'), maxLength: 3000 },
                  {
                    id: 'pick',
                    type: 'choice',
                    label: t('C'),
                    options: [
                      { value: 'xa', label: t('A') },
                      { value: 'xb', label: t('B') },
                    ],
                  },
                  { id: 'ok', type: 'yesNo', label: t('Y') },
                  { id: 'when', type: 'date', label: t('D'), required: true },
                  { id: 'count', type: 'number', label: t('N') },
                  { id: 'countGiven', type: 'number', label: t('N'), min: 0, max: 9, integer: true },
                ],
              },
            },
            {
              ...step('sb', 'provider'),
              reminders: ['PT1H'],
              due: 'PT2H',
              expiry: 'P1D',
              form: { fields: [{ id: 'x', type: 'yesNo', label: t('X') }] },
            },
          ],
        },
        {
          id: 'two',
          title: t('Twee'),
          steps: [
            {
              ...step('sc', 'citizen'),
              due: 'P1D',
              expiry: 'P2D',
              form: { fields: [{ id: 'ok', type: 'yesNo', label: t('Y') }] },
              backTo: { stage: 'one', when: { field: 'ok', equals: false } },
              sms: { field: 'ok' },
            },
            {
              ...step('sd', 'provider'),
              due: 'P1D',
              expiry: 'P2D',
              form: { fields: [{ id: 'ok', type: 'yesNo', label: t('Y') }] },
            },
          ],
        },
      ],
      messages: { invitation: t('{link}'), reminder: t('R'), escalation: t('E'), confirmation: t('C') },
    };
    const normalized = normalizeService(definition);
    expect(normalized).toStrictEqual(serviceSchema.parse(definition));
    expect(
      normalized.stages[0]?.steps[0]?.form.fields.map((f) => [
        f.id,
        f.required,
        'maxLength' in f ? f.maxLength : null,
      ]),
    ).toEqual([
      ['short', true, 200],
      ['shortGiven', false, 20],
      ['long', true, 2000],
      ['longGiven', true, 3000],
      ['pick', true, null],
      ['ok', true, null],
      ['when', true, null],
      ['count', true, null],
      ['countGiven', true, null],
    ]);
    expect(normalized.title).toEqual({ nl: 'Titel', en: 'Titel' });
    expect(normalized.context).toStrictEqual([
      { id: 'pupil', type: 'text', label: { nl: 'P', en: 'P' }, required: true, maxLength: 200 },
      { id: 'group', type: 'text', label: { nl: 'G', en: 'G' }, required: false, maxLength: 40 },
    ]);
  });

  it('gives a service without context an empty one, like the schema', () => {
    const { context: _, ...withoutContext } = structuredClone(carePlan);
    expect(normalizeService(withoutContext).context).toEqual([]);
    expect(serviceSchema.parse(withoutContext).context).toEqual([]);
  });

  it('does not share arrays or objects with the definition', () => {
    const normalized = normalizeService(carePlan);
    expect(normalized.stages[1]?.steps[1]?.reminders).not.toBe(carePlan.stages[1]?.steps[1]?.reminders);
    expect(normalized.stages[1]?.steps[1]?.backTo?.when).not.toBe(carePlan.stages[1]?.steps[1]?.backTo?.when);
  });
});

describe('catalog', () => {
  it('lists the three services, normalized', () => {
    expect(services.map((s) => s.id)).toEqual(['waste-collection', 'child-development', 'care-plan']);
    expect(services[2]).toStrictEqual(serviceSchema.parse(carePlan));
  });

  it('finds a service by id, and nothing for an unknown id', () => {
    expect(findService('care-plan')?.title.nl).toBe('Zorgplan');
    expect(findService('parking-permit')).toBeUndefined();
    expect(findService('__proto__')).toBeUndefined();
  });

  it('is frozen, so no request can change the definitions another request sees', () => {
    const service = findService('waste-collection');
    expect(() => {
      (service as { id: string }).id = 'x';
    }).toThrow(TypeError);
    expect(() => service?.stages[0]?.steps.push(service.stages[0]?.steps[0] as never)).toThrow(TypeError);
    expect(Object.isFrozen(service?.stages[0]?.steps[0]?.form.fields[0]?.label)).toBe(true);
  });
});

describe('the catalog as bundles read it', () => {
  // vitest.config.mts defines COPRODUCE_SERVICES as handler-function.ts does for a bundle.
  it('is the services of sources.ts, parsed from JSON and frozen', () => {
    expect(services).toStrictEqual(serviceSources());
    expect(Object.isFrozen(services[0]?.stages[0]?.steps[0]?.form.fields)).toBe(true);
    expect(findService('care-plan')?.id).toBe('care-plan');
  });

  it('is read from the sources where nothing defines it (synth, scripts)', () => {
    const script = "process.stdout.write(JSON.stringify(require('./workflows/catalog').services))";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(JSON.parse(out)).toStrictEqual(serviceSources());
  });
});

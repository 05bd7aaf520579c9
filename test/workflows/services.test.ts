import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../../workflows/duration';
import { parseService, type Service, type ServiceInput } from '../../workflows/schema';
import carePlan from '../../workflows/services/care-plan';
import childDevelopment from '../../workflows/services/child-development';
import wasteCollection from '../../workflows/services/waste-collection';

// The three real services, checked against the schema and against what the seed blog asks of them:
// both partners contribute in every stage, and each case ends with both saying how the partnership went.

const definitions: Record<string, ServiceInput> = {
  'waste-collection': wasteCollection,
  'child-development': childDevelopment,
  'care-plan': carePlan,
};
const parsed = Object.entries(definitions).map(([id, def]) =>
  parseService(`workflows/services/${id}.ts`, def),
);
const byId = (id: string) => parsed.find((s) => s.id === id) as Service;
const steps = (s: Service) => s.stages.flatMap((stage) => stage.steps);
const step = (s: Service, id: string) => steps(s).find((p) => p.id === id);

describe.each(parsed.map((s) => [s.id, s] as const))('%s', (_, service) => {
  it('has at least two stages, each with citizen and provider steps', () => {
    expect(service.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of service.stages)
      expect(new Set(stage.steps.map((s) => s.actor)), stage.id).toEqual(new Set(['citizen', 'provider']));
  });

  it('ends with mutual feedback; an unhappy citizen reopens the stage before it', () => {
    const last = service.stages.at(-1);
    const previous = service.stages.at(-2);
    for (const s of last?.steps ?? []) {
      expect(s.form.fields.find((f) => f.id === 'satisfied')?.type, s.id).toBe('yesNo');
      expect(
        s.form.fields.filter((f) => f.required).map((f) => f.id),
        s.id,
      ).toEqual(['satisfied']);
    }
    const citizen = last?.steps.find((s) => s.actor === 'citizen');
    expect(citizen?.backTo).toEqual({ stage: previous?.id, when: { field: 'satisfied', equals: false } });
    expect(citizen?.sms).toEqual({ field: 'satisfied', note: 'note' });
  });

  it('has realistic durations: hours to weeks per step, well under a year in total', () => {
    let total = 0;
    for (const stage of service.stages) {
      const longest = Math.max(...stage.steps.map((s) => durationSeconds(s.expiry)));
      total += longest;
      for (const s of stage.steps) {
        expect(durationSeconds(s.due), s.id).toBeGreaterThanOrEqual(86_400);
        expect(s.reminders.length, s.id).toBeGreaterThanOrEqual(1);
      }
    }
    expect(total / 86_400).toBeLessThan(200);
  });

  it('keeps SMS answers to simple steps and every citizen step title SMS-friendly', () => {
    for (const s of steps(service)) {
      if (s.sms) expect(s.form.fields.find((f) => f.id === s.sms?.field)?.type, s.id).toBe('yesNo');
      if (s.actor === 'citizen')
        for (const t of [s.title.nl, s.title.en]) expect(t.length, t).toBeLessThanOrEqual(20);
    }
  });

  it('says every text in Dutch and English, differently', () => {
    const texts = [service.title, service.summary, ...service.stages.map((s) => s.title)];
    const fields = [...service.context, ...steps(service).flatMap((s) => s.form.fields)];
    for (const s of steps(service)) texts.push(s.title, s.instructions);
    for (const f of fields) {
      texts.push(f.label, ...(f.help ? [f.help] : []));
      if (f.type === 'choice') texts.push(...f.options.map((o) => o.label));
    }
    for (const t of texts) expect(t.nl, t.en).not.toBe(t.en);
  });
});

describe('the services', () => {
  it('are run by the kind of organisation the blog names', () => {
    expect(parsed.map((s) => [s.id, s.providerKind])).toEqual([
      ['waste-collection', 'municipality'],
      ['child-development', 'school'],
      ['care-plan', 'care-provider'],
    ]);
  });

  it('describe each household by the context fields a round file carries', () => {
    const shape = (s: Service) =>
      s.context.map((f) => [f.id, f.type, f.required, 'maxLength' in f ? f.maxLength : null]);
    expect(shape(byId('waste-collection'))).toEqual([
      ['address', 'text', true, 200],
      ['collectionDate', 'date', true, null],
    ]);
    expect(shape(byId('child-development'))).toEqual([
      ['childName', 'text', true, 100],
      ['group', 'text', false, 40],
    ]);
    expect(shape(byId('care-plan'))).toEqual([['careNeed', 'text', false, 200]]);
  });

  it('use every kind of form field between them', () => {
    const types = new Set(parsed.flatMap((s) => steps(s).flatMap((p) => p.form.fields.map((f) => f.type))));
    expect([...types].sort()).toEqual(['choice', 'date', 'longText', 'number', 'text', 'yesNo']);
  });

  it('waste collection: the household presents and the municipality collects, both can report problems', () => {
    const waste = byId('waste-collection');
    expect(step(waste, 'present')).toMatchObject({
      actor: 'citizen',
      sms: { field: 'presented', note: 'note' },
    });
    expect(step(waste, 'collect')?.actor).toBe('provider');
    const problem = step(waste, 'present')?.form.fields.find((f) => f.id === 'problem');
    const issue = step(waste, 'collect')?.form.fields.find((f) => f.id === 'issue');
    expect(problem?.type === 'choice' && problem.options.map((o) => o.value)).toContain('not-emptied');
    expect(issue?.type === 'choice' && issue.options.map((o) => o.value)).toContain('wrongly-sorted');
  });

  it('child development: observations, goals, review, feedback', () => {
    const child = byId('child-development');
    expect(child.stages.map((s) => s.id)).toEqual(['observe', 'goals', 'review', 'feedback']);
    expect(step(child, 'propose-goals')?.actor).toBe('provider');
    expect(step(child, 'agree-goals')).toMatchObject({ actor: 'citizen', sms: { field: 'agrees' } });
  });

  it('care plan: a rejected plan goes back to the assessment', () => {
    const care = byId('care-plan');
    expect(care.stages.map((s) => s.id)).toEqual(['assessment', 'agreement', 'evaluation', 'feedback']);
    expect(step(care, 'propose-plan')?.actor).toBe('provider');
    expect(step(care, 'accept-plan')).toMatchObject({
      actor: 'citizen',
      sms: { field: 'agrees', note: 'note' },
      backTo: { stage: 'assessment', when: { field: 'agrees', equals: false } },
    });
  });
});

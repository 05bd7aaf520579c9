import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';

// The module-level repository: configured from TABLE_NAME when it loads, failing by name without it.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('repository module', () => {
  it('fails at load, naming TABLE_NAME, when it is missing', async () => {
    vi.stubEnv('TABLE_NAME', '');
    await expect(import('../../../functions/adapters/repository')).rejects.toThrow('TABLE_NAME');
  });

  it('exports a DynamoDB repository when TABLE_NAME is set', async () => {
    vi.stubEnv('TABLE_NAME', 'coproduce-cases');
    const { repository } = await import('../../../functions/adapters/repository');
    expect(repository).toBeInstanceOf(
      (await import('../../../functions/adapters/dynamo-repository')).DynamoCaseRepository,
    );
    expect(DynamoCaseRepository).toBeTypeOf('function');
  });
});

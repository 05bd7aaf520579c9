import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// scripts/pretest.sh with its commands replaced by fakes on PATH: nothing on this machine is installed.

const SCRIPT = resolve(__dirname, '../../scripts/pretest.sh');

function fakeBin(commands: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-pretest-'));
  for (const [name, body] of Object.entries(commands)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

const run = (env: Record<string, string>) =>
  spawnSync('/bin/sh', [SCRIPT], { encoding: 'utf8', env: { ...env, PATH: `${env.PATH}:/bin:/usr/bin` } });

describe('scripts/pretest.sh', () => {
  it('does nothing when chromium is there', () => {
    const result = run({ CHROMIUM: '/bin/sh', PATH: fakeBin({}) });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('installs chromium with apt-get when it runs as root', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'coproduce-chromium-')), 'chromium');
    const bin = fakeBin({
      id: 'echo 0',
      // the fake apt-get "installs" the browser on `install`
      'apt-get': `case "$*" in *install*) printf '#!/bin/sh\\n' > ${target} && chmod +x ${target};; esac`,
    });
    const result = run({ CHROMIUM: target, PATH: bin });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(result.stderr).toContain('installing Debian');
  });

  it('stops at once with the one command to run when it cannot install', () => {
    const result = run({ CHROMIUM: '/nonexistent/chromium', PATH: fakeBin({ id: 'echo 1000' }) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('sudo apt-get update && sudo apt-get install -y chromium');
  });
});

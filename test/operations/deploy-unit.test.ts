import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('deploy/vinyl-store.service', () => {
  it('runs node directly, restarts on failure, reads an environment file, and is sandboxed', async () => {
    const unit = await readFile('deploy/vinyl-store.service', 'utf8');
    const settings = new Map(unit.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(settings.get('ExecStart')).toMatch(/^\/usr\/bin\/node --import tsx server\/main\.ts$/);
    expect(settings.get('Restart')).toBe('on-failure');
    expect(settings.get('EnvironmentFile')).toBe('/etc/vinyl-store/env');
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'RestrictSUIDSGID']) expect(settings.get(key), key).toBe('yes');
    expect(settings.get('ProtectSystem')).toBe('strict');
    expect(settings.get('CapabilityBoundingSet')).toBe('');
    // V8 and PGlite's WebAssembly need writable-executable pages.
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it('passes npm run check:deploy (systemd-analyze verify where systemd is installed)', async () => {
    const { stdout, stderr } = await run('bash', ['deploy/check-deploy.sh']);
    expect(`${stdout}${stderr}`).toMatch(/verified with systemd|is not installed: skipped/);
  });
});

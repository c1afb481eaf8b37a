// The live-scan options of `readiness scan`, where no DC is needed to see the answer.
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SLOW = 60_000;

describe('readiness scan --server/--url', () => {
  it(
    'refuses --ldif together with --server',
    async () => {
      const result = await runCli(['scan', '--ldif', 'x.ldif', '--server', 'dc1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--ldif and --server\/--url cannot be combined/);
    },
    SLOW,
  );

  it(
    'says how to write a bare account name, before any connection',
    async () => {
      const result = await runCli(['scan', '--server', '127.0.0.1:1', '--user', 'admin'], { READINESS_PASSWORD: 'x' });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/bare account name/);
      expect(result.stderr).toMatch(/hint: write it as admin@your\.domain or DOMAIN\\admin/);
    },
    SLOW,
  );

  it(
    'has no --password option',
    async () => {
      const result = await runCli(['scan', '--server', 'dc1', '--user', 'a@b.c', '--password', 'hunter2']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/unknown option '--password'/);
    },
    SLOW,
  );

  it(
    'warns loudly when certificate checks are switched off, and explains a refused connection (exit 2, nothing on stdout)',
    async () => {
      const result = await runCli(['scan', '--url', 'ldaps://127.0.0.1:1', '--insecure-skip-tls-verify', '--user', 'a@b.c'], {
        READINESS_PASSWORD: 'Secret-1',
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/WARNING: --insecure-skip-tls-verify/);
      expect(result.stderr).toMatch(/error: ldaps:\/\/127\.0\.0\.1:1 refused the connection/);
      expect(result.stderr).toMatch(/hint: check the host and port/);
      expect(result.stderr).not.toContain('Secret-1');
    },
    SLOW,
  );

  it(
    'refuses malformed server names and credentials in URLs',
    async () => {
      const url = await runCli(['scan', '--url', 'ldap://admin:Secret-2@dc1', '--user', 'a@b.c']);
      expect(url.code).toBe(2);
      expect(url.stderr).toMatch(/no credentials in the URL/);
      expect(url.stderr).not.toContain('Secret-2');
      const starttls = await runCli(['scan', '--url', 'ldaps://dc1', '--starttls', '--user', 'a@b.c']);
      expect(starttls.stderr).toMatch(/already encrypted/);
    },
    SLOW,
  );
});

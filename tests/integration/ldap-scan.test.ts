// The live scan against real Samba AD DCs (scripts/samba-dc.sh): full reads over every transport,
// the errors people hit, read-only proof, and the same answer as an ldapsearch export read offline.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/checks/engine.js';
import { CHECKS } from '../../src/checks/registry.js';
import { buildReport } from '../../src/report/build.js';
import type { ForestReport, Report } from '../../src/report/schema.js';
import { forestOf } from '../report/helpers.js';
import { ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW, ROOT_DSE_ATTRIBUTES, SCHEMA_FILTER } from '../../src/sources/ldap/attributes.js';
import { type Connector, ldaptsConnector } from '../../src/sources/ldap/directory.js';
import { type Endpoint, parseEndpoint } from '../../src/sources/ldap/endpoint.js';
import { LdapSource } from '../../src/sources/ldap/source.js';
import { LdifSource } from '../../src/sources/ldif/source.js';
import { runCli } from '../ldap/run-cli.js';
import { type Dc, describeWithDc } from './dc.js';

const run = promisify(execFile);
const SLOW = 180_000;
const scratch = mkdtempSync(path.join(tmpdir(), 'readiness-ldap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function liveSource(dc: Dc, endpoint: Endpoint, ca: string | undefined = dc.ca, user = dc.bindUpn): LdapSource {
  return new LdapSource({
    endpoint,
    credentials: { user, password: dc.password() },
    connect: ldaptsConnector({ trust: { ...(ca === undefined ? {} : { ca }), skipVerify: false } }),
  });
}

async function scanLive(source: LdapSource): Promise<ScanResult> {
  await source.open();
  return scan([source], { checks: CHECKS });
}

function report(result: ScanResult): ForestReport {
  return buildReport(result, { toolVersion: 'test', target: 'cloud-sync', allowPreview: false, now: new Date(0) });
}

/** The report without what names the input or the time: what must agree between a live scan and an export. */
function judgement(r: ForestReport): unknown {
  const { generatedAt: _generatedAt, inputs: _inputs, ...rest } = r;
  return rest;
}

async function highestCommittedUsn(dc: Dc): Promise<string> {
  const { stdout } = await run('ldapsearch', ['-x', '-LLL', '-H', dc.ldapsUrl, '-b', '', '-s', 'base', 'highestCommittedUSN'], {
    env: { ...process.env, LDAPTLS_CACERT: dc.caFile },
  });
  const usn = /highestCommittedUSN: (\d+)/.exec(stdout)?.[1];
  if (usn === undefined) throw new Error(`no highestCommittedUSN in ${stdout}`);
  return usn;
}

/** The control the live source sends (SD flags = DACL only), as ldapsearch takes it: BER SEQUENCE { INTEGER 4 }. */
const SD_FLAGS_DACL = '1.2.840.113556.1.4.801=::MAMCAQQ=';

const errorsOf = (result: ScanResult) => result.problems.filter((p) => p.severity === 'error');

describeWithDc('live scan of the seeded DC (simple bind allowed on 389)', 'plain', (dc) => {
  const seed = dc.seed;

  it(
    'reads the whole forest over ldap:// without changing it, and counts the >1,500-member group exactly',
    async () => {
      const before = await highestCommittedUsn(dc);
      const result = await scanLive(liveSource(dc, parseEndpoint({ url: dc.ldapUrl, startTls: false })));
      const after = await highestCommittedUsn(dc);
      expect(after, 'highestCommittedUSN changed: the scan wrote to the directory').toBe(before);

      expect(errorsOf(result)).toEqual([]);
      const { inventory } = result;
      expect(inventory.partitions).toEqual({ configuration: true, schema: true });
      expect(inventory.rootDse?.highestCommittedUSN).toBe(before);
      expect(inventory.schema.attributes.size).toBeGreaterThan(1000);
      expect(inventory.domains.map((d) => [d.dn, d.partitionRead])).toEqual([[dc.baseDn, true]]);
      if (seed !== undefined) {
        expect(seed.bigGroup.members).toBeGreaterThan(1500);
        expect(inventory.groups.large.find((g) => g.dn === seed.bigGroup.dn)).toEqual({
          dn: seed.bigGroup.dn,
          members: seed.bigGroup.members,
          completeness: 'exact',
        });
        expect(inventory.totals.users).toBeGreaterThanOrEqual(seed.users);
        expect(inventory.totals.contacts).toBe(seed.contacts);
        expect(inventory.totals.computers).toBeGreaterThanOrEqual(seed.computers);
      }
    },
    SLOW,
  );

  it(
    'delivers to an ordinary domain user entries as the LDIF reader would: bytes for GUIDs and descriptors, the member list whole',
    async () => {
      // As an ordinary domain user: what the checks need must not require administrator rights.
      const source = liveSource(dc, parseEndpoint({ url: dc.ldapUrl, startTls: false }), undefined, dc.readerUpn);
      await source.open();
      let users = 0;
      let withDescriptor = 0;
      let bigGroupMembers: number | undefined;
      for await (const event of source.events()) {
        if (event.type === 'problem') expect(event.problem.severity).not.toBe('error');
        if (event.type !== 'entry') continue;
        const { entry } = event;
        if (entry.kind === 'user') {
          users++;
          expect(entry.values('objectguid')[0]).toBeInstanceOf(Buffer);
          if (entry.values('ntsecuritydescriptor')[0] instanceof Buffer) withDescriptor++;
        }
        if (entry.dn === seed?.bigGroup.dn) {
          bigGroupMembers = entry.values('member').length;
          expect(entry.ranged.get('member')).toBe('complete');
        }
      }
      expect(users).toBeGreaterThan(0);
      expect(withDescriptor).toBe(users);
      if (seed !== undefined) expect(bigGroupMembers).toBe(seed.bigGroup.members);
    },
    SLOW,
  );

  it(
    'gives the same inventory and findings as an ldapsearch export of the same partitions read offline',
    async () => {
      const live = report(await scanLive(liveSource(dc, parseEndpoint({ url: dc.ldapUrl, startTls: false }))));
      const configDn = dc.configDn;
      const schemaDn = `CN=Schema,${configDn}`;
      const attributes = [...ENTRY_ATTRIBUTES, MEMBER_FIRST_WINDOW];
      const exports: [string, string, string, string, string[]][] = [
        ['rootdse.ldif', '', 'base', '(objectClass=*)', [...ROOT_DSE_ATTRIBUTES]],
        ['configuration.ldif', configDn, 'sub', '(objectClass=*)', attributes],
        ['schema.ldif', schemaDn, 'sub', SCHEMA_FILTER, attributes],
        ['domain.ldif', dc.baseDn, 'sub', '(objectClass=*)', attributes],
      ];
      const files: string[] = [];
      for (const [name, base, scope, filter, wanted] of exports) {
        const { stdout } = await run(
          'ldapsearch',
          [
            '-x',
            '-H',
            dc.ldapUrl,
            '-D',
            dc.bindUpn,
            '-y',
            path.join(dc.work, 'password'),
            '-E',
            'pr=1000/noprompt',
            '-E',
            SD_FLAGS_DACL,
            '-o',
            'ldif-wrap=no',
            '-b',
            base,
            '-s',
            scope,
            filter,
            ...wanted,
          ],
          { maxBuffer: 1 << 30 },
        );
        const file = path.join(scratch, name);
        writeFileSync(file, stdout);
        files.push(file);
      }
      const offline = report(
        await scan(
          files.map((f) => new LdifSource(f)),
          { checks: CHECKS },
        ),
      );
      expect(offline.problems).toEqual([]);
      expect(judgement(offline)).toEqual(judgement(live));
    },
    SLOW,
  );

  it(
    'reads its own domain in two parts split by uSNCreated when told to: the same objects as one read, each once, nothing written',
    async () => {
      const filters: string[] = [];
      const connect = ldaptsConnector({ trust: { ca: dc.ca, skipVerify: false } });
      const noting: Connector = async (endpoint) => {
        const directory = await connect(endpoint);
        return {
          bind: (user, password) => directory.bind(user, password),
          search: (request) => {
            if (request.base === dc.baseDn && request.scope === 'sub') filters.push(request.filter);
            return directory.search(request);
          },
          unbind: () => directory.unbind(),
        };
      };
      const dnsRead = async (splitFromUsn: number): Promise<string[]> => {
        const source = new LdapSource({
          endpoint: parseEndpoint({ url: dc.ldapUrl, startTls: false }),
          credentials: { user: dc.bindUpn, password: dc.password() },
          connect: noting,
          splitFromUsn,
        });
        await source.open();
        const dns: string[] = [];
        for await (const event of source.events()) {
          if (event.type === 'entry') dns.push(event.entry.dn);
          else expect(event.problem.severity).not.toBe('error');
        }
        return dns;
      };
      const before = await highestCommittedUsn(dc);
      const whole = await dnsRead(Number.MAX_SAFE_INTEGER);
      expect(filters).toEqual(['(objectClass=*)']);
      const split = await dnsRead(1);
      const middle = Math.floor(Number(before) / 2);
      // Each part binds its own connection, so which search reaches the DC first varies.
      expect(filters.slice(1).sort()).toEqual([`(!(uSNCreated>=${middle}))`, `(uSNCreated>=${middle})`]);
      expect(await highestCommittedUsn(dc), 'highestCommittedUSN changed: the scan wrote to the directory').toBe(before);
      expect(new Set(split).size).toBe(split.length);
      expect([...split].sort()).toEqual([...whole].sort());
    },
    SLOW,
  );

  it(
    'explains a wrong password with exit code 2 and never prints the password',
    async () => {
      const wrong = 'Not-The-Password-42';
      const result = await runCli(['scan', '--url', dc.ldapUrl, '--user', dc.bindUpn, '--format', 'json'], { READINESS_PASSWORD: wrong });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/bind refused: wrong user name or password \(AD code 52e\)/);
      expect(result.stderr).toMatch(/hint: check --user/);
      expect(result.stderr + result.stdout).not.toContain(wrong);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
    SLOW,
  );

  it(
    'scans from the command line with the password on stdin: the report on stdout, its input the URL only',
    async () => {
      const password = dc.password();
      const result = await runCli(
        ['scan', '--server', new URL(dc.ldapUrl).host, '--user', dc.bindUpn, '--password-stdin', '--format', 'json'],
        {},
        `${password}\n`,
      );
      expect([0, 1, 3]).toContain(result.code);
      const parsed = forestOf(JSON.parse(result.stdout) as Report);
      expect(parsed.inputs).toEqual([{ kind: 'ldap', label: dc.ldapUrl }]);
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(result.stdout + result.stderr).not.toContain(password);
      expect(result.stderr).toMatch(/password unencrypted/);
    },
    SLOW,
  );

  it(
    'reports a connection cut in the middle of the scan: incomplete, exit code 3, what was not read named',
    async () => {
      const cut = await cuttingProxy(new URL(dc.ldapUrl), 400_000);
      try {
        const result = await runCli(['scan', '--server', `127.0.0.1:${cut.port}`, '--user', dc.bindUpn, '--format', 'json'], {
          READINESS_PASSWORD: dc.password(),
        });
        expect(result.code).toBe(3);
        const parsed = forestOf(JSON.parse(result.stdout) as Report);
        expect(parsed.complete).toBe(false);
        expect(parsed.verdict).toBe('incomplete');
        const errors = parsed.problems.filter((p) => p.severity === 'error');
        expect(errors.length).toBeGreaterThan(0);
        expect(errors[0]?.affectsDn).toBe(dc.configDn);
        expect(errors[0]?.message).toMatch(/stopped after [\d,]+ objects/);
        expect(errors.map((e) => e.affectsDn)).toContain(dc.baseDn);
      } finally {
        cut.close();
      }
    },
    SLOW,
  );
});

describeWithDc('live scan of the hardened DC (simple bind only over TLS)', 'strong', (dc) => {
  it(
    'refuses a simple bind on plain 389 and says to use StartTLS or LDAPS (exit 2)',
    async () => {
      const result = await runCli(['scan', '--url', dc.ldapUrl, '--user', dc.bindUpn], { READINESS_PASSWORD: dc.password() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/requires signing or TLS for a simple bind \(strongerAuthRequired\)/);
      expect(result.stderr).toMatch(/--starttls or an ldaps:\/\/ URL/);
      expect(result.stdout).toBe('');
    },
    SLOW,
  );

  it.each([
    ['StartTLS on 389', (dc: Dc) => parseEndpoint({ url: dc.ldapUrl, startTls: true })],
    ['LDAPS on 636', (dc: Dc) => parseEndpoint({ url: dc.ldapsUrl, startTls: false })],
  ])(
    'reads the whole forest over %s, verifying the certificate against the generated CA',
    async (_name, endpointOf) => {
      const result = await scanLive(liveSource(dc, endpointOf(dc)));
      expect(errorsOf(result)).toEqual([]);
      expect(result.inventory.partitions).toEqual({ configuration: true, schema: true });
      expect(result.inventory.domains.map((d) => d.partitionRead)).toEqual([true]);
      expect(result.inventory.totals.users).toBeGreaterThan(0);
    },
    SLOW,
  );

  it(
    'explains an untrusted certificate and points to --ca-file (exit 2)',
    async () => {
      const result = await runCli(['scan', '--url', dc.ldapsUrl, '--user', dc.bindUpn], { READINESS_PASSWORD: dc.password() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/TLS certificate is not trusted/);
      expect(result.stderr).toMatch(/--ca-file/);
    },
    SLOW,
  );

  it(
    'scans over LDAPS without checking the certificate only when told to, with a loud warning',
    async () => {
      const result = await runCli(['scan', '--url', dc.ldapsUrl, '--insecure-skip-tls-verify', '--user', dc.bindUpn, '--format', 'json'], {
        READINESS_PASSWORD: dc.password(),
      });
      expect([0, 1, 3]).toContain(result.code);
      expect(result.stderr).toMatch(/WARNING: --insecure-skip-tls-verify: the DC certificate is NOT checked/);
      expect(forestOf(JSON.parse(result.stdout) as Report).problems.filter((p) => p.severity === 'error')).toEqual([]);
    },
    SLOW,
  );

  it(
    'scans over StartTLS from the command line with --ca-file',
    async () => {
      const result = await runCli(['scan', '--url', dc.ldapUrl, '--starttls', '--ca-file', dc.caFile, '--user', dc.bindUpn, '--format', 'json'], {
        READINESS_PASSWORD: dc.password(),
      });
      expect([0, 1, 3]).toContain(result.code);
      const parsed = forestOf(JSON.parse(result.stdout) as Report);
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(result.stderr).not.toMatch(/password unencrypted/);
    },
    SLOW,
  );
});

/** A TCP proxy to the DC that drops the connection after `bytes` from the server and refuses every later one. */
async function cuttingProxy(target: URL, bytes: number): Promise<{ port: number; close: () => void }> {
  const sockets: Socket[] = [];
  let used = false;
  const server = createServer((client) => {
    sockets.push(client);
    if (used) {
      client.destroy();
      return;
    }
    used = true;
    const upstream = tcpConnect(Number(target.port), target.hostname);
    sockets.push(upstream);
    let sent = 0;
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > bytes) {
        client.destroy();
        upstream.destroy();
        server.close();
        return;
      }
      client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

import { CHECKS } from '../../src/checks/registry.js';

/** A one-domain forest in ldifde's shape, small enough to write thousands of times. */
export const DOMAIN = 'DC=corp,DC=example,DC=com';
const record = (dn: string, ...lines: string[]): string => `dn: ${dn}\r\nchangetype: add\r\n${lines.join('\r\n')}\r\n\r\n`;

export const domainHead = record(DOMAIN, 'objectClass: top', 'objectClass: domain', 'objectClass: domainDNS', 'msDS-Behavior-Version: 7');

export function users(ou: string, count: number, extra: (i: number) => string[] = () => []): string {
  let text = record(`OU=${ou},${DOMAIN}`, 'objectClass: top', 'objectClass: organizationalUnit');
  for (let i = 0; i < count; i++)
    text += record(
      `CN=${ou}-${i},OU=${ou},${DOMAIN}`,
      'objectClass: top',
      'objectClass: person',
      'objectClass: user',
      `sAMAccountName: ${ou}-${i}`,
      ...extra(i),
    );
  return text;
}

/**
 * Only the per-domain object limit runs, so the verdict (and exit code 0) does not depend on the rest of the
 * catalog: it needs nothing beyond the domain head these forests have (a check of groups could not pass here).
 */
export const ONE_CHECK_CONFIG = `checks:\n  disable: [${CHECKS.map((c) => c.meta.id)
  .filter((id) => id !== 'scale.objects-per-domain')
  .join(', ')}]\n`;

/**
 * `count` exports in one folder, as a forest split per OU would give: the domain head in the first, one
 * OU with `usersEach` users in each. Returns the number of users written.
 */
export function writeManyExports(folder: string, count: number, usersEach: number, write: (path: string, text: string) => void): number {
  for (let i = 0; i < count; i++) {
    const name = `part-${String(i).padStart(5, '0')}.ldf`;
    write(`${folder}/${name}`, (i === 0 ? domainHead : '') + users(`OU${i}`, usersEach));
  }
  return count * usersEach;
}

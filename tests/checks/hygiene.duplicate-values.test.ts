import { describe, expect, it } from 'vitest';
import { Entry } from '../../src/model/entry.js';
import check from '../../src/checks/rules/hygiene-duplicate-values.js';

function user(n: number, attributes: Record<string, string[]>): Entry {
  const map = new Map<string, string[]>([
    ['objectclass', ['top', 'person', 'organizationalPerson', 'user']],
    ['samaccountname', [`u${n}`]],
    ...Object.entries(attributes),
  ]);
  return new Entry(`CN=User ${n},OU=Staff,DC=corp,DC=example,DC=com`, map);
}

describe('hygiene.duplicate-values index', () => {
  // Enough values to grow the hash table and the byte arena several times over.
  it('finds exactly the planted duplicates among 60,000 objects with non-ASCII values', () => {
    const run = check.create({ option: () => 0, target: 'cloud-sync', allowPreview: false, answer: () => undefined });
    const planted = new Set([123, 4_567, 59_999]);
    for (let n = 0; n < 60_000; n++) {
      run.visit?.(
        user(n, {
          userprincipalname: [`user${n}@corp.example.com`],
          proxyaddresses: [`SMTP:user${n}@example.com`, `smtp:jürgen.${n}@example.com`],
        }),
      );
    }
    for (const n of planted) run.visit?.(user(100_000 + n, { mail: [`JÜRGEN.${n}@EXAMPLE.COM`] }));
    const result = run.finish({} as never);
    expect(result.status).toBe('failed');
    const objects = result.status === 'failed' ? (result.findings[0]?.objects ?? []) : [];
    expect(objects).toHaveLength(6);
    expect(objects.map((o) => o.dn)).toContain('CN=User 104567,OU=Staff,DC=corp,DC=example,DC=com');
    expect(objects.find((o) => o.dn === 'CN=User 4567,OU=Staff,DC=corp,DC=example,DC=com')?.detail).toBe(
      'proxyAddresses "jürgen.4567@example.com" is also on: mail of CN=User 104567,OU=Staff,DC=corp,DC=example,DC=com',
    );
  });
});

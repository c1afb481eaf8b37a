import { defineCheck, type ObjectRef } from '../check.js';
import { attribute, partition, toPass } from '../evidence.js';
import { accountDomain, LINKED_MAILBOX, SELF_SID, sidToString } from '../support/ad-values.js';
import { ObjectScope } from '../support/hygiene.js';
import { objectRef } from '../support/object-ref.js';
import { COMMON_SCENARIOS, CONNECT_TOPOLOGIES } from '../support/sources.js';

export default defineCheck({
  meta: {
    id: 'exchange.resource-forest',
    title: 'Linked mailboxes: an account-resource forest topology',
    severity: 'blocker',
    category: 'exchange',
    tags: ['exchange', 'topology'],
    rationale:
      'A linked mailbox lives in a resource forest and points, through msExchMasterAccountSID, at the user account in another forest that owns it. Connect Sync joins the ' +
      'two (objectSid = msExchMasterAccountSID) and merges them into one Entra user. Cloud Sync has no joins across forests and cannot merge attributes from several ' +
      'sources; Microsoft lists "user accounts in one forest, mailboxes in a resource forest" as not supported by Cloud Sync. msExchMasterAccountSID = S-1-5-10 (SELF), ' +
      'which Exchange sets on shared and resource mailboxes, is not a link and is not counted.',
    remediation:
      'Keep Connect Sync for the account and resource forests, or first convert the linked mailboxes (move them to the account forest, or to Exchange Online and ' +
      'remove the resource forest from synchronisation).',
    sources: [COMMON_SCENARIOS, CONNECT_TOPOLOGIES],
    evidence: [partition('domain'), toPass(attribute('sAMAccountName', 'user'))],
    kinds: { 'linked-mailboxes': {} },
  },
  create() {
    const scope = new ObjectScope(['user']);
    const linked: ObjectRef[] = [];
    const accountDomains = new Set<string>();
    let self = 0;
    return {
      visits: scope.kinds,
      visit(entry) {
        if (!scope.admit(entry)) return;
        const master = entry.bytes('msexchmasteraccountsid');
        const linkedType = entry.bigint('msexchrecipienttypedetails') === LINKED_MAILBOX;
        if (master === undefined && !linkedType) return;
        const sid = master === undefined ? undefined : (sidToString(master) ?? `unreadable SID ${master.toString('hex')}`);
        if (sid === SELF_SID && !linkedType) {
          self++;
          return;
        }
        if (sid !== undefined) accountDomains.add(accountDomain(sid));
        linked.push(
          objectRef(entry, {
            detail: sid === undefined ? 'msExchRecipientTypeDetails = 2 (linked mailbox), no msExchMasterAccountSID read' : `linked to ${sid}`,
          }),
        );
      },
      finish() {
        const selfNote =
          self === 0 ? '' : ` ${self.toLocaleString('en-US')} mailbox(es) with msExchMasterAccountSID = SELF (shared or resource mailboxes) are not links.`;
        if (linked.length === 0) return { status: 'passed', note: `No linked mailboxes.${selfNote}` };
        return {
          status: 'failed',
          findings: [
            {
              kind: 'linked-mailboxes',
              message:
                `${linked.length.toLocaleString('en-US')} linked mailbox(es) point at accounts in ${accountDomains.size.toLocaleString('en-US')} other domain(s)/forest(s) ` +
                `(${[...accountDomains].join(', ') || 'SID not read'}).${selfNote} ${scope.summary()}`,
              objects: linked,
              scope: { kind: 'objects' },
            },
          ],
        };
      },
    };
  },
});

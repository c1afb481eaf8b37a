import { defineCheck, type ObjectRef } from '../check.js';
import { container, partition, toPass } from '../evidence.js';
import { plural } from '../support/ad-values.js';
import { objectRef } from '../support/object-ref.js';
import { CONNECT_DEVICE_WRITEBACK, DECISION_GUIDE } from '../support/sources.js';

const DRS_OBJECT = 'cn=deviceregistrationservice,cn=device registration services,cn=device registration configuration,cn=services,cn=configuration,';

export default defineCheck({
  meta: {
    id: 'devices.writeback',
    title: 'Connect Sync writes devices back to Active Directory',
    severity: 'blocker',
    category: 'devices',
    tags: ['devices', 'writeback'],
    rationale:
      'Device writeback (Windows Hello for Business hybrid certificate trust, AD FS device-based conditional access) is a Connect Sync feature: it creates ' +
      'CN=DeviceRegistrationService in the configuration partition, whose msDS-DeviceLocation points to CN=RegisteredDevices (msDS-DeviceContainer) in a ' +
      'domain, and writes msDS-Device objects there. Cloud Sync has no device writeback; Microsoft calls it discontinued in favour of Cloud Kerberos trust.',
    remediation:
      'Move Windows Hello for Business to cloud Kerberos trust and AD FS device claims to Entra conditional access, then disable device writeback in Connect. ' +
      'Until then keep Connect Sync for this forest.',
    sources: [DECISION_GUIDE, CONNECT_DEVICE_WRITEBACK],
    evidence: [
      toPass(partition('configuration', 'where the device registration service object lives')),
      toPass(container('CN=Services', 'configuration', 'where the device registration service object lives')),
      toPass(partition('domain', 'where CN=RegisteredDevices lives')),
    ],
    kinds: { 'device-writeback': {} },
  },
  create() {
    const configuration: ObjectRef[] = [];
    const containers: ObjectRef[] = [];
    const devices: ObjectRef[] = [];
    return {
      visits: ['other', 'container'],
      visit(entry) {
        if (entry.isA('msds-device')) devices.push(objectRef(entry));
        else if (entry.isA('msds-devicecontainer')) containers.push(objectRef(entry));
        else if (entry.key.startsWith(DRS_OBJECT)) {
          const location = entry.text('msds-devicelocation');
          configuration.push(objectRef(entry, location === undefined ? {} : { detail: `msDS-DeviceLocation ${location}` }));
        }
      },
      finish() {
        const objects = [...configuration, ...containers, ...devices];
        if (objects.length > 0) {
          return {
            status: 'failed',
            findings: [
              {
                kind: 'device-writeback',
                message:
                  `Device writeback is set up: ${plural(configuration.length, 'device registration service object')}, ${plural(containers.length, 'RegisteredDevices container')}, ` +
                  `${plural(devices.length, 'written-back device')} (msDS-Device). Cloud Sync cannot write devices back.`,
                objects,
                scope: { kind: 'forest' },
              },
            ],
          };
        }
        return { status: 'passed' };
      },
    };
  },
});

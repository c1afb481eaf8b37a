#!/usr/bin/env bash
# A large throwaway Samba AD DC for the LDAP bench: 20,000 users, a 20,000-member group, 2,000 computers,
# 500 groups, 1,000 contacts. Takes minutes (~110 objects/s), so it is not part of CI.
# It runs beside the test DCs, on its own address and folder, and stays up for the bench; stop it with
#   WORK=$PWD/.samba-ci-large BIND_IP=127.0.0.3 scripts/samba-dc.sh stop
# Connection facts: .samba-ci-large/env and .samba-ci-large/password (tests/integration/dc.ts: findDc('large')).
set -euo pipefail
cd "$(dirname "$0")/.."
export WORK=${LARGE_WORK:-$PWD/.samba-ci-large} BIND_IP=${BIND_IP:-127.0.0.3}
export SEED_USERS=${SEED_USERS:-20000} SEED_BIG_GROUP=${SEED_BIG_GROUP:-20000} SEED_COMPUTERS=${SEED_COMPUTERS:-2000}
export SEED_GROUPS=${SEED_GROUPS:-500} SEED_GROUP_SIZE=${SEED_GROUP_SIZE:-20} SEED_CONTACTS=${SEED_CONTACTS:-1000}
bash scripts/samba-dc.sh "${@:-all}"

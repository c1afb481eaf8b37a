#!/usr/bin/env bash
# Throwaway Samba AD DC on loopback for the integration tests (Debian 12, run as root: ports < 1024).
#
#   scripts/samba-dc.sh [install] [provision] [start] [seed] [stop] | all    (all = install provision start seed)
#
# Steps run in the order given. Everything lives under $WORK: database, smb.conf, TLS files, logs, pid.
# After `start`, $WORK/env holds the connection facts (no secret) and $WORK/password (mode 600) the
# Administrator password; after `seed`, $WORK/seed.json describes what was seeded. tests/integration/dc.ts
# reads these files.
#
# A second, hardened DC (simple bind on 389 refused) runs beside the first one:
#   WORK=$PWD/.samba-ci-strong BIND_IP=127.0.0.2 STRONG_AUTH=yes scripts/samba-dc.sh provision start
#
# A DC of a second forest (its own realm, so its own domain, configuration and schema partitions), seeded small,
# with a twin of the first forest's reader: the same UPN and password (one account binds to both forests) and the
# mail of the first forest's u00001 (duplicates only a tenant-wide check sees). The first DC must be seeded before:
#   WORK=$PWD/.samba-ci-forest2 BIND_IP=127.0.0.4 REALM=FABRIKAM.EXAMPLE.TEST NBDOMAIN=FABRIKAM \
#     CROSS_FOREST_TWIN_OF=$PWD/.samba-ci SEED_USERS=200 scripts/samba-dc.sh provision start seed
#
# Facts and measurements behind the choices below: ../shared/facts/samba-and-ldapts.md (sections 8 and 9).
# Not done on purpose: adding msDS-ExternalDirectoryObjectId to the 4.17 schema (facts, section 2). No test needs
# it, and without it a live scan of the default DC meets the schema.external-directory-object-id finding for real.
# For a DC that has it: SAMBA_FROM=backports (4.22, schema 2019).
set -euo pipefail

WORK=${WORK:-$PWD/.samba-ci}
REALM=${REALM:-CORP.EXAMPLE.TEST}
NBDOMAIN=${NBDOMAIN:-CORP}
DC_NAME=${DC_NAME:-dc1}                  # fixed host/NetBIOS name, independent of the machine's hostname
BIND_IP=${BIND_IP:-127.0.0.1}            # any 127.x.y.z; the strong-auth DC uses 127.0.0.2
SAMBA_FROM=${SAMBA_FROM:-bookworm}       # bookworm: 4.17, schema 69, FL 2008R2 | backports: 4.22, schema 88, FL 2016
BACKEND=${BACKEND:-mdb}                  # mdb or tdb
STRONG_AUTH=${STRONG_AUTH:-no}           # no: simple bind on 389 works | yes: StartTLS/LDAPS required (hardened AD)
SEED_USERS=${SEED_USERS:-2000} SEED_GROUPS=${SEED_GROUPS:-100} SEED_GROUP_SIZE=${SEED_GROUP_SIZE:-20}
SEED_COMPUTERS=${SEED_COMPUTERS:-500} SEED_CONTACTS=${SEED_CONTACTS:-200} SEED_BIG_GROUP=${SEED_BIG_GROUP:-2000}
CROSS_FOREST_TWIN_OF=${CROSS_FOREST_TWIN_OF:-}   # WORK of a seeded DC of another forest: a twin of its reader is seeded here

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DNS_DOMAIN=${REALM,,}
BASE_DN=DC=${DNS_DOMAIN//./,DC=}
ADMIN_UPN="Administrator@$REALM"
PASSWORD_FILE="$WORK/password"

case "$BIND_IP" in 127.*) ;; *) echo "BIND_IP must be a loopback address (127.x.y.z), got $BIND_IP" >&2; exit 2 ;; esac
case "$STRONG_AUTH" in yes|no) ;; *) echo "STRONG_AUTH must be yes or no, got $STRONG_AUTH" >&2; exit 2 ;; esac
case "$SAMBA_FROM" in bookworm|backports) ;; *) echo "SAMBA_FROM must be bookworm or backports, got $SAMBA_FROM" >&2; exit 2 ;; esac

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() { echo "samba-dc: $*" >&2; exit 1; }
running() { [ -f "$WORK/samba.pid" ] && kill -0 "$(cat "$WORK/samba.pid")" 2>/dev/null; }
# the password comes from a file (-y), never from argv; ldap tools read the whole file, so no trailing newline
ldap_admin() { local tool=$1; shift; LDAPTLS_CACERT="$WORK/tls/ca.pem" "$tool" -x -H "ldaps://$BIND_IP" -D "$ADMIN_UPN" -y "$PASSWORD_FILE" "$@"; }

install() {
  local t; t=$(now)
  local pkgs=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules winbind ldb-tools ldap-utils openssl)
  local release=()
  # samba-ad-provision is only a Recommends of samba-ad-dc, but it holds the schema files provisioning needs
  if [ "$SAMBA_FROM" = backports ]; then
    # reuse the mirror this machine already uses rather than writing a host name into the repo
    local uri; uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
    [ -n "$uri" ] || fail "cannot find the Debian mirror in /etc/apt to add bookworm-backports"
    echo "deb $uri bookworm-backports main" >/etc/apt/sources.list.d/samba-ci-backports.list
    release=(-t bookworm-backports)
  fi
  # on a host with systemd the packages would start smbd/nmbd/winbind as services; our DC needs none of them
  local guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=1
  fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${release[@]}" "${pkgs[@]}"
  } >"/tmp/samba-dc-install.$$.log" 2>&1 || rc=$?
  [ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d
  if [ "$rc" -ne 0 ]; then tail -20 "/tmp/samba-dc-install.$$.log" >&2; rm -f "/tmp/samba-dc-install.$$.log"; fail "apt-get failed ($rc)"; fi
  rm -f "/tmp/samba-dc-install.$$.log"
  echo "install: $(since "$t") s ($(samba --version))"
}

provision() {
  local t; t=$(now)
  command -v samba-tool >/dev/null || fail "samba-tool not found: run '$0 install' first"
  if running; then stop; fi
  # only what this script creates: WORK may have been pointed at a folder holding other things
  rm -rf "$WORK/dc" "$WORK/tls" "$WORK"/{env,password,provision.log,samba.out,seed.json,seed.tmp.json,seed.ldif,seed.log}
  mkdir -p "$WORK/dc/run" "$WORK/tls"; chmod 700 "$WORK"
  # a fresh random password per DC keeps secrets out of the repo; the policy below lets any password through,
  # but provisioning checks complexity before that policy exists, hence the fixed prefix
  (umask 077; printf 'Rd1!%s' "$(openssl rand -hex 12)" >"$PASSWORD_FILE")
  local extra=()
  case "$(samba --version)" in
    *" 4.1"[0-8].*) ;;                                      # <= 4.18: 2012_R2 schema and FL 2008_R2 at most
    *) extra=(--base-schema=2019 --function-level=2016 "--option=ad dc functional level=2016") ;;
  esac
  # --configfile=/dev/null: inherit nothing from the host's /etc/samba/smb.conf. --adminpass is the one place the
  # password is on a command line: samba-tool takes it no other way, and it lives only for this throwaway DC
  samba-tool domain provision --configfile=/dev/null \
    --realm="$REALM" --domain="$NBDOMAIN" --server-role=dc --host-name="$DC_NAME" --host-ip="$BIND_IP" \
    --dns-backend=SAMBA_INTERNAL --backend-store="$BACKEND" --use-rfc2307 \
    --adminpass="$(cat "$PASSWORD_FILE")" --targetdir="$WORK/dc" "${extra[@]}" \
    --option="interfaces=$BIND_IP/8" --option="bind interfaces only=yes" \
    --option="log file=$WORK/dc/log.%m" >"$WORK/provision.log" 2>&1 ||
    { tail -20 "$WORK/provision.log" >&2; fail "provision failed (log: $WORK/provision.log)"; }
  # our own CA and a server certificate with SANs, so clients verify 127.x/localhost against $WORK/tls/ca.pem
  ( cd "$WORK/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=readiness samba-ci CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout key.pem -out req.csr -subj "/CN=$DC_NAME.$DNS_DOMAIN" 2>/dev/null
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:%s,IP:::1\nextendedKeyUsage=serverAuth\n' \
      "$DC_NAME.$DNS_DOMAIN" "$BIND_IP" >ext.cnf
    openssl x509 -req -in req.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem -days 30 -extfile ext.cnf 2>/dev/null
    chmod 600 key.pem ca.key )
  # settings --option does not persist, and pid/socket dirs out of /run/samba so two DCs do not clash
  sed -i '/dns forwarder/d' "$WORK/dc/etc/smb.conf"    # copied from the host's resolver; the DNS service is off
  sed -i "/^\[global\]/a\\
	pid directory = $WORK/dc/run\\
	ncalrpc dir = $WORK/dc/run/ncalrpc\\
	winbindd socket directory = $WORK/dc/run/winbindd\\
	ntp signd socket directory = $WORK/dc/run/ntp_signd\\
	server services = -dns -nbt -wrepl -ntp_signd -dnsupdate -s3fs -winbindd\\
	ldap server require strong auth = $STRONG_AUTH\\
	ldb:nosync = true\\
	dsdb:schema update allowed = true\\
	tls enabled = yes\\
	tls keyfile = $WORK/tls/key.pem\\
	tls certfile = $WORK/tls/cert.pem\\
	tls cafile = $WORK/tls/ca.pem" "$WORK/dc/etc/smb.conf"
  # test-only password policy, so passwords the tests set never trip complexity or age rules
  samba-tool domain passwordsettings set -H "$WORK/dc/private/sam.ldb" --configfile="$WORK/dc/etc/smb.conf" \
    --complexity=off --history-length=0 --min-pwd-age=0 --max-pwd-age=0 >/dev/null
  echo "provision: $(since "$t") s ($WORK, strong auth $STRONG_AUTH)"
}

answers() { # $1 = URL: anonymous RootDSE read, verified against our CA for ldaps
  LDAPTLS_CACERT="$WORK/tls/ca.pem" ldapsearch -x -H "$1" -b '' -s base -o nettimeout=1 dnsHostName >/dev/null 2>&1
}

start() {
  local t; t=$(now)
  [ -f "$WORK/dc/etc/smb.conf" ] || fail "no DC provisioned in $WORK: run '$0 provision' first"
  if running; then echo "start: already running (pid $(cat "$WORK/samba.pid"))"; return 0; fi
  rm -f "$WORK/env"
  # -i keeps samba in the foreground for us to background; setsid gives it its own process group
  setsid samba -s "$WORK/dc/etc/smb.conf" -i --debug-stdout -d1 >"$WORK/samba.out" 2>&1 </dev/null &
  echo $! >"$WORK/samba.pid"
  local i
  for i in $(seq 1 600); do
    running || { tail -20 "$WORK/samba.out" >&2; rm -f "$WORK/samba.pid"; fail "samba exited during start (log: $WORK/samba.out)"; }
    if answers "ldap://$BIND_IP:389" && answers "ldap://$BIND_IP:3268" && answers "ldaps://$BIND_IP:636"; then
      cat >"$WORK/env" <<EOF
LDAP_URL=ldap://$BIND_IP:389
LDAPS_URL=ldaps://$BIND_IP:636
GC_URL=ldap://$BIND_IP:3268
GCS_URL=ldaps://$BIND_IP:3269
BASE_DN=$BASE_DN
CONFIG_DN=CN=Configuration,$BASE_DN
REALM=$REALM
DNS_DOMAIN=$DNS_DOMAIN
BIND_DN=CN=Administrator,CN=Users,$BASE_DN
BIND_UPN=$ADMIN_UPN
CA_FILE=$WORK/tls/ca.pem
PASSWORD_FILE=$PASSWORD_FILE
STRONG_AUTH=$STRONG_AUTH
SAMBA_VERSION=$(samba --version | sed 's/^Version //')
EOF
      echo "start: $(since "$t") s (pid $(cat "$WORK/samba.pid"), env in $WORK/env)"; return 0
    fi
    sleep 0.1
  done
  tail -20 "$WORK/samba.out" >&2; stop; fail "samba did not answer on $BIND_IP within 60 s"
}

stop() {
  rm -f "$WORK/env"
  [ -f "$WORK/samba.pid" ] || return 0
  local t p; t=$(now); p=$(cat "$WORK/samba.pid")
  kill -TERM "$p" 2>/dev/null || true                       # the master stops its children itself
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then kill -KILL -- "-$p" 2>/dev/null || true; fi   # pid == pgid (setsid)
  rm -f "$WORK/samba.pid"; echo "stop: $(since "$t") s ($WORK)"
}

seed() {
  local t; t=$(now)
  running || fail "no DC running in $WORK: run '$0 start' first"
  [ ! -f "$WORK/seed.json" ] || fail "$WORK is already seeded; run '$0 provision start seed' for a fresh DC"
  local twin_of=()
  if [ -n "$CROSS_FOREST_TWIN_OF" ]; then
    [ -f "$CROSS_FOREST_TWIN_OF/seed.json" ] || fail "CROSS_FOREST_TWIN_OF=$CROSS_FOREST_TWIN_OF holds no seeded DC: seed that one first"
    twin_of=(--cross-forest-duplicate-of "$(node -p "require('$CROSS_FOREST_TWIN_OF/seed.json').dnsDomain")")
  fi
  node "$SCRIPTS/samba-seed-ldif.mjs" --base-dn "$BASE_DN" --dns-domain "$DNS_DOMAIN" \
    --users "$SEED_USERS" --groups "$SEED_GROUPS" --group-size "$SEED_GROUP_SIZE" --computers "$SEED_COMPUTERS" \
    --contacts "$SEED_CONTACTS" --big-group "$SEED_BIG_GROUP" --manifest "$WORK/seed.tmp.json" \
    "${twin_of[@]}" >"$WORK/seed.ldif"
  # over LDAPS: works on the strong-auth DC too, and unicodePwd needs an encrypted connection
  ldap_admin ldapadd -f "$WORK/seed.ldif" >"$WORK/seed.log" 2>&1 ||
    { grep -v '^adding\|^$' "$WORK/seed.log" | tail -5 >&2; fail "ldapadd failed (log: $WORK/seed.log)"; }
  finish_seed
  twin_password
  mv "$WORK/seed.tmp.json" "$WORK/seed.json"
  echo "seed: $(grep -c '^dn:' "$WORK/seed.ldif") objects in $(since "$t") s"
}

finish_seed() { # what plain LDIF cannot express: values that depend on the server, and a password
  local same reader guid pw
  same=$(node -p "require('$WORK/seed.tmp.json').special.consistencySame")
  reader=$(node -p "require('$WORK/seed.tmp.json').special.reader")
  guid=$(ldap_admin ldapsearch -LLL -b "$same" -s base objectGUID | sed -n 's/^objectGUID:: //p')
  [ -n "$guid" ] || fail "cannot read the objectGUID of $same"
  # the reader shares the Administrator's password file: one secret per DC for the tests to read
  pw=$(printf '"%s"' "$(cat "$PASSWORD_FILE")" | iconv -f UTF-8 -t UTF-16LE | base64 -w0)
  ldap_admin ldapmodify >>"$WORK/seed.log" 2>&1 <<EOF ||
dn: $same
changetype: modify
replace: mS-DS-ConsistencyGuid
mS-DS-ConsistencyGuid:: $guid
-

dn: $reader
changetype: modify
replace: unicodePwd
unicodePwd:: $pw
-
replace: userAccountControl
userAccountControl: 66048
-

dn: CN=Partitions,CN=Configuration,$BASE_DN
changetype: modify
add: uPNSuffixes
uPNSuffixes: corp.local
-
EOF
    { grep -v '^modifying\|^$' "$WORK/seed.log" | tail -5 >&2; fail "ldapmodify after the seed failed (log: $WORK/seed.log)"; }
}

twin_password() { # the twin of another forest's reader binds with that reader's password
  [ -n "$CROSS_FOREST_TWIN_OF" ] || return 0
  local twin pw
  twin=$(node -p "require('$WORK/seed.tmp.json').crossForest.dn")
  pw=$(printf '"%s"' "$(cat "$CROSS_FOREST_TWIN_OF/password")" | iconv -f UTF-8 -t UTF-16LE | base64 -w0)
  ldap_admin ldapmodify >>"$WORK/seed.log" 2>&1 <<EOF ||
dn: $twin
changetype: modify
replace: unicodePwd
unicodePwd:: $pw
-
replace: userAccountControl
userAccountControl: 66048
-
EOF
    { grep -v '^modifying\|^$' "$WORK/seed.log" | tail -5 >&2; fail "setting the cross-forest twin's password failed (log: $WORK/seed.log)"; }
}

main() {
  [ $# -gt 0 ] || set -- all
  local step t0
  for step in "$@"; do
    case "$step" in
      install|provision|start|seed|stop) "$step" ;;
      all) t0=$(now); install; provision; start; seed; echo "all: $(since "$t0") s" ;;
      *) echo "usage: $0 [install] [provision] [start] [seed] [stop] | all" >&2; exit 2 ;;
    esac
  done
}
# one line, read whole before it runs: editing this file while a long seed runs cannot derail the running copy
main "$@"; exit

#!/usr/bin/env bash
# Exim (exim4-daemon-heavy, the build with the malware ACL condition) from Debian's packages, unpacked into a
# private prefix artifacts/mta/exim/ with dpkg -x: exim4 conflicts with the Postfix the other tests install, so it is
# never installed system-wide. The tests run artifacts/mta/exim/usr/sbin/exim4 as root with a private -C config.
# Also ClamAV's clamdscan client (installed normally; no conflict), which the tests drive against Postern's server.
# Idempotent: does nothing when the binary is there and every library resolves.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
prefix="$root/artifacts/mta/exim"
bin="$prefix/usr/sbin/exim4"
export DEBIAN_FRONTEND=noninteractive

apt_install() {
  apt-get install -y -q --no-install-recommends "$@" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}

command -v clamdscan >/dev/null || { echo "install-deps: installing clamdscan" >&2; apt_install clamdscan; }

resolves() { [ -x "$bin" ] && ! LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu" ldd "$bin" 2>/dev/null | grep -q 'not found'; }

if ! resolves; then
  echo "install-deps: unpacking exim4-daemon-heavy into $prefix" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download exim4-daemon-heavy exim4-base exim4-config >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get download exim4-daemon-heavy exim4-base exim4-config >/dev/null; }; })
  rm -rf "$prefix.new" && mkdir -p "$prefix.new"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$prefix.new"; done
  # Libraries the heavy daemon links that a minimal machine may lack: install the missing ones from Debian (they
  # are ordinary shared libraries, no MTA), one round per missing soname.
  missing=$(ldd "$prefix.new/usr/sbin/exim4" | awk '/not found/ {print $1}')
  if [ -n "$missing" ]; then
    pkgs=()
    for so in $missing; do
      case "$so" in
        libpq.so.*) pkgs+=(libpq5) ;;
        libmariadb.so.*) pkgs+=(libmariadb3) ;;
        libsqlite3.so.*) pkgs+=(libsqlite3-0) ;;
        libldap*|liblber*) pkgs+=(libldap-2.5-0) ;;
        libsasl2.so.*) pkgs+=(libsasl2-2) ;;
        libgnutls.so.*) pkgs+=(libgnutls30) ;;
        libspf2.so.*) pkgs+=(libspf2-2) ;;
        libperl.so.*) pkgs+=(libperl5.36) ;;
        libgsasl.so.*) pkgs+=(libgsasl18) ;;
        libidn2.so.*) pkgs+=(libidn2-0) ;;
        libidn.so.*) pkgs+=(libidn12) ;;
        libsrs_alt.so.*) pkgs+=(libsrs-alt1) ;;
        libnsl.so.*) pkgs+=(libnsl2) ;;
        libpcre2-8.so.*) pkgs+=(libpcre2-8-0) ;;
        libdb-5.3.so) pkgs+=(libdb5.3) ;;
        libopendmarc.so.*) pkgs+=(libopendmarc2) ;;
        libxcrypt*|libcrypt.so.*) pkgs+=(libcrypt1) ;;
        *) echo "install-deps: exim4 needs $so and this hook does not know its package" >&2; exit 1 ;;
      esac
    done
    echo "install-deps: installing exim's libraries ${pkgs[*]}" >&2
    apt_install "${pkgs[@]}"
  fi
  rm -rf "$prefix" && mv "$prefix.new" "$prefix"
fi
# Debian's build runs as the user Debian-exim (compiled in); the package's postinst would create it.
getent passwd Debian-exim >/dev/null ||
  useradd --system --user-group --home-dir /var/spool/exim4 --no-create-home --shell /usr/sbin/nologin Debian-exim
resolves || { echo "install-deps: $bin does not run: $(ldd "$bin" | grep 'not found' | tr '\n' ' ')" >&2; exit 1; }
"$bin" -bV -C /dev/null >/dev/null 2>&1 || { echo "install-deps: $bin -bV fails: $("$bin" -bV -C /dev/null 2>&1 | head -3)" >&2; exit 1; }

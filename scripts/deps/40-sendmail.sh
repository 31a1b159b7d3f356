#!/usr/bin/env bash
# Sendmail from Debian's packages, for the milter end-to-end tests. sendmail-bin conflicts with postfix (both are
# mail-transport-agent), so it is never installed: its .debs are fetched with apt-get download and unpacked with
# dpkg -x into artifacts/mta/sendmail/ (the tests run it from there with a private sendmail.cf and queue). The
# shared libraries it links and m4 (to build sendmail.cf) conflict with nothing and are installed normally.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/artifacts/mta/sendmail"
libs=(m4 liblockfile1 libwrap0 libdb5.3 libnsl2 libsasl2-2 libldap-2.5-0 libssl3)
missing=()
for p in "${libs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
fi
if [ ! -x "$dest/usr/libexec/sendmail/sendmail" ] || [ ! -f "$dest/.relocated" ]; then
  echo "install-deps: unpacking sendmail into $dest" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && { apt-get download -q sendmail-bin sendmail-base sendmail-cf >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get download -q sendmail-bin sendmail-base sendmail-cf >/dev/null; }; })
  rm -rf "$dest.new" && mkdir -p "$dest.new"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dest.new"; done
  # The m4 files include each other by absolute /usr/share/sendmail paths: point them at the private copy.
  grep -rl /usr/share/sendmail "$dest.new/usr/share/sendmail/cf" | xargs sed -i "s#/usr/share/sendmail#$dest/usr/share/sendmail#g"
  touch "$dest.new/.relocated"
  rm -rf "$dest" && mv "$dest.new" "$dest"
fi
test -x "$dest/usr/libexec/sendmail/sendmail" || { echo "install-deps: $dest/usr/libexec/sendmail/sendmail missing" >&2; exit 1; }
command -v m4 >/dev/null || { echo "install-deps: m4 missing" >&2; exit 1; }

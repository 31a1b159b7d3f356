#!/usr/bin/env bash
# Postfix from Debian's package, for the end-to-end tests (private instances started with postfix -c DIR; nothing
# under /etc/postfix is used). Installed with debconf "No configuration" so the package writes no main.cf and starts
# nothing; a system Postfix that is already there is never reconfigured. smtp-sink/smtp-source come with it.
set -euo pipefail
if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/sbin/smtp-sink ]; then
  echo "install-deps: installing postfix" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends postfix >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postfix >/dev/null; }
fi
id postfix >/dev/null
getent group postdrop >/dev/null

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails unless a PO file is fully translated.

Usage: check-complete.py [--msgfmt PATH] FILE.po

Runs "msgfmt --check --statistics" on FILE.po: any error (a broken format
string, a bad plural form), any fuzzy message and any untranslated message
make the check fail, with msgfmt's own report.
"""

import os
import re
import subprocess
import sys


def main(argv):
    msgfmt = 'msgfmt'
    args = argv[1:]
    if len(args) >= 2 and args[0] == '--msgfmt':
        msgfmt = args[1]
        args = args[2:]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    po = args[0]

    # msgfmt translates its own report: read it in English.
    env = dict(os.environ, LC_ALL='C')
    env.pop('LANGUAGE', None)
    result = subprocess.run([msgfmt, '--check', '--statistics', '-o', os.devnull, po],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    report = result.stdout.strip()
    print(report)

    if result.returncode != 0:
        print('%s: msgfmt --check failed' % po, file=sys.stderr)
        return 1

    counts = {}
    for kind in ('translated', 'fuzzy', 'untranslated'):
        match = re.search(r'(\d+) %s (?:message|translation)' % kind, report)
        counts[kind] = int(match.group(1)) if match else 0

    if counts['translated'] == 0:
        print('%s: no translated message found in the report' % po, file=sys.stderr)
        return 1
    if counts['fuzzy'] or counts['untranslated']:
        print('%s: %d fuzzy and %d untranslated messages: translate them and drop the fuzzy flags'
              % (po, counts['fuzzy'], counts['untranslated']), file=sys.stderr)
        return 1

    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

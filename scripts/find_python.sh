#!/usr/bin/env bash
# Print the path of the Python interpreter named in .python-version (3.10):
# first through pyenv, then on PATH. Exit 1 with advice when there is none.
set -euo pipefail
want=$(tr -d '[:space:]' < "$(dirname "$0")/../.python-version")
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix "$want" 2>/dev/null || true)
  if [ -z "$prefix" ]; then
    latest=$(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.[0-9]+)?$" | sort -V | tail -n1 || true)
    [ -n "$latest" ] && prefix=$(pyenv root)/versions/$latest
  fi
  if [ -n "$prefix" ] && [ -x "$prefix/bin/python" ]; then echo "$prefix/bin/python"; exit 0; fi
fi
for candidate in "python$want" python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
cat >&2 <<MSG
Python $want is required (Rasa 3.6 runs on Python 3.8-3.10, not 3.11) but none was found.
Install it with pyenv:   pyenv install $want && pyenv local $want
or with your system's packages (for example: apt-get install python$want python$want-venv).
MSG
exit 1

"""`rasa` with its API token taken from the environment or a file, never argv.

Why: ``rasa run --auth-token SECRET`` puts the token in the process list, where
every user of the machine (and, for containers, of the host) can read it with
``ps``. This entry point is the ``rasa`` command with one change: the token
defaults to ``$RASA_AUTH_TOKEN``, or to the first line of the file named by
``$RASA_AUTH_TOKEN_FILE`` (Docker and Kubernetes secrets). ``--enable-api``
without any token refuses to start: an open HTTP API could read and rewrite
every conversation.

    python -m bot.serve run --model models/current.tar.gz --enable-api ...
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

TOKEN_ENV = "RASA_AUTH_TOKEN"


def read_secret(name: str) -> Optional[str]:
    """``$NAME``, else the first line of the file named by ``$NAME_FILE``, else None.

    A secret read from a file is put into this process's environment too, so
    code that reads ``$NAME`` (the REST channel's delete API) finds it.
    """
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return None
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    value = lines[0].strip() if lines else ""
    if not value:
        raise SystemExit(f"{name}_FILE names an empty file: {path}")
    os.environ[name] = value
    return value


def main() -> None:
    """Runs ``rasa`` with the token as the default of ``--auth-token``."""
    import rasa.__main__ as rasa_main

    from bot import rasa_patches

    rasa_patches.install()
    token = read_secret(TOKEN_ENV)
    rasa_patches.default_auth_token(token)
    if "--enable-api" in sys.argv and not token:
        raise SystemExit(
            f"--enable-api needs a token: set {TOKEN_ENV} or {TOKEN_ENV}_FILE "
            "(never --auth-token, which `ps` shows to everyone)."
        )
    sys.argv[0] = "rasa"
    rasa_main.main()


if __name__ == "__main__":
    main()

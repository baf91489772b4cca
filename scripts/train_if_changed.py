"""Train the Rasa model only when its inputs changed.

Why: `rasa train` takes tens of seconds even when it ends up reusing the old
model; hashing the inputs first makes `make run` start at once when nothing
changed. The inputs are the config, the domain, the training data, the
vocabulary and the Rasa-side Python (custom NLU components).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
STAMP = ROOT / "models" / ".fingerprint"
INPUT_GLOBS = [
    "config.yml",
    "domain.yml",
    "domain/**/*.yml",
    "bot/data/**/*.yml",
    "bot/**/*.py",
    "bot/**/*.json",
    "bot/**/*.yml",
    "actions/vocabulary.yml",
    "actions/vocabulary.py",
    "actions/causes.yml",
    "requirements.txt",
]


def fingerprint() -> str:
    """Hash of every training input's path and content."""
    digest = hashlib.sha256()
    files = sorted({p for g in INPUT_GLOBS for p in ROOT.glob(g) if p.is_file()})
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train_command(python: str, out: Path, name: str = "current") -> List[str]:
    """The `rasa train` command for this project's inputs (also used by make bench)."""
    domain = "domain" if (ROOT / "domain").is_dir() else "domain.yml"
    return [
        python, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", domain, "--data", "bot/data",
        "--out", str(out), "--fixed-model-name", name,
    ]  # fmt: skip


def is_up_to_date(current: Optional[str] = None) -> bool:
    """True when the model exists and was trained from the inputs as they are now."""
    current = current or fingerprint()
    return MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == current


def main() -> int:
    """Train when the fingerprint differs from the one stored beside the model."""
    current = fingerprint()
    if is_up_to_date(current):
        print("Model is up to date; skipping training.")
        return 0
    result = subprocess.run(train_command(sys.executable, MODEL.parent), cwd=ROOT)
    if result.returncode == 0 and MODEL.exists():
        STAMP.write_text(current + "\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

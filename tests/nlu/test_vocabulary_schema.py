"""vocabulary.yml loads strictly: an unknown key fails naming file, entry and key.

Why: a misspelt key ("synonym:") would silently switch a value's phrases off,
and a red-flag value the NLU no longer matches is a missed emergency.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.vocabulary import VocabularyError, get_vocabulary, load_vocabulary


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vocabulary.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_vocabulary_loads() -> None:
    assert get_vocabulary().has("symptom", "paralysis")


def test_an_unknown_entry_key_names_file_entry_and_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "entities:\n  symptom:\n    paralysis:\n      label: x\n      synonym: [a]\n",
    )
    with pytest.raises(VocabularyError) as error:
        load_vocabulary(path)
    message = str(error.value)
    assert "vocabulary.yml" in message
    assert "symptom.paralysis" in message
    assert "synonym" in message


def test_an_unknown_top_level_key_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, "entities: {}\nopen_entity: [age]\n")
    with pytest.raises(VocabularyError, match="open_entity"):
        load_vocabulary(path)


def test_phrases_that_are_not_a_list_of_strings_fail(tmp_path: Path) -> None:
    path = _write(tmp_path, "entities:\n  side:\n    left:\n      synonyms: left\n")
    with pytest.raises(VocabularyError, match=r"side\.left: synonyms"):
        load_vocabulary(path)


def test_an_entity_that_is_not_a_mapping_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, "entities:\n  side: [left, right]\n")
    with pytest.raises(VocabularyError, match="'side'"):
        load_vocabulary(path)


def test_a_vocabulary_error_is_a_value_error() -> None:
    assert issubclass(VocabularyError, ValueError)

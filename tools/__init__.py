"""Tools for tests and scripts: start the servers, fake Telegram, name the commit.

Imported as a package (``from tools import servers``) by tests/ and scripts/; the
product (bot/, actions/) never imports it.
"""

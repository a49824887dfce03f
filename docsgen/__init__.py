"""The documentation site's reference pages, written from the gate's own tables.

``tables`` reads the tables (the option table, the contract loader, the fixtures, the fault
profiles, pytest's exit codes) into plain rows; ``contract_keys`` records the keys the contract
loader reads and their defaults; ``commands`` reads the ``cloudrun-acceptance`` command's
argparse parser; ``pages`` renders the rows as markdown; ``hook`` is the MkDocs hook
(mkdocs.yml's ``hooks:``) that adds the rendered pages to the site at build time. Only
``tables``, ``contract_keys``, ``commands`` and ``hook`` import the gate or MkDocs.
"""

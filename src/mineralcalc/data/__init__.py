"""Reading files: CSV tables and TOML scenarios into plain records, with every check on size,
depth, quoting and cell values (``file:row: column: problem (hint)``). Nothing here knows the
catalog graph or the results; nothing above reads files."""

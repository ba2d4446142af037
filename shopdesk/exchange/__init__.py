"""Excel and CSV in and out: members, purchases and the points ledger, with no Qt.

Layers inside the package, lowest first:
- ``readers`` (files to raw cells), ``headers`` (column names to fields), ``coerce`` (cells to values),
  ``writers`` (rows to styled .xlsx or .csv): no database;
- ``plan`` (what an import will do: mapping, preview, row errors), ``storage`` (bulk writes, id ranges,
  index rebuilds), ``refs`` (tier, staff and tag names to ids), ``exporting`` (permission, scope, audit);
- ``member_import``, ``purchase_import``, ``member_export``, ``purchase_export``, ``points_export``,
  ``template``, ``report``: the operations the GUI and the CLI call. An import is planned (read and
  checked, nothing written) and then applied in one transaction; they use the services (points, tags,
  tiers, figures) so that imported data obeys the same rules as data typed at the counter;
- ``commands``: the ``import`` and ``export`` subcommands of the ``shopdesk`` CLI.

Nothing here imports openpyxl, xlsxwriter or python-calamine at module level: they load when a file is
read or written, so the app starts without them.
"""

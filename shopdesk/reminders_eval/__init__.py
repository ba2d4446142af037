"""Measuring the repurchase ranking against baselines and BG/NBD (a developer's tool; scipy is test-only).

- ``sheet``: a purchases sheet (CSV or .xlsx: customer, date, amount, optional category) to records;
- ``shop``: the purchases before a cut-off into a temporary SQLite shop, the app's own schema;
- ``metrics``: precision@k, recall@k and the two baselines (recency, number of purchases);
- ``bgnbd``: the BG/NBD model (needs scipy); ``evaluate``: the whole run and its markdown table;
- ``export``: a shop's purchases to a sheet, and the generated shops the README's numbers come from;
- ``listing``: the ``reminders`` list as CSV or .xlsx;
- ``commands``: the ``reminders`` and ``reminders-eval`` subcommands.
"""

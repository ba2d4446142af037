"""The API the GUI and the CLI call: each function owns its transaction and returns plain data."""

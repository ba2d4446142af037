"""Qt item models over service calls: id lists with lazy row caches, and append-only lists."""

"""Pure shop rules and value types: no storage, no Qt, nothing but the standard library."""

"""Pure domain logic: no Qt, no OS calls, no SQLite. Time and events come in as data."""

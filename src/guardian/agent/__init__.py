"""The agent: samples processes and sessions, accounts time, evaluates the rules and enforces them."""

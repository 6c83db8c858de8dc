"""Use cases in plain Python: each takes a Session and returns frozen dataclasses."""

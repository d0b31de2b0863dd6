from . import authorities, commentary, events, sources  # noqa: F401  (registers the model admins)

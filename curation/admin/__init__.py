from . import accounts, authorities, commentary, events, sources, transfer  # noqa: F401  (registers the model admins)

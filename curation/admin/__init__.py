from . import accounts, authorities, commentary, events, sources, transfer, units  # noqa: F401  (registers the model admins)

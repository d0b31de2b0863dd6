"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html) at /oai/: every published unit of
description and source, for harvesters. docs/oai-pmh.md says what a harvester gets; the parts:

- `protocol`: the request's arguments as the protocol allows them per verb, dates, errors.
- `records`: what is harvested (stages of units, sources, deleted records), sets, and keyset pages.
- `tokens`: signed resumption tokens holding a page's position.
- `formats` and `dublin_core`: the metadata formats (one registry entry each).
- `views`: the six verbs and the XML envelope.
"""

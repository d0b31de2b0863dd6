"""The public site: views, filters and facets, search, the page cache, feeds, sitemaps and JSON-LD.

Every query here starts from `.published()`; nothing in this package writes a record.
"""

"""IIIF for the sources' images: level-0 static Image API 3 derivatives and Presentation 3 manifests."""

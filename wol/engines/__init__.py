"""The only modules that import an engine: Git (gitrepo), MkDocs (mkdocs), the search engine (search)."""

"""`wol serve` without the editor: the live site kept up to date (live), the file watcher (watch), the built files (files)."""

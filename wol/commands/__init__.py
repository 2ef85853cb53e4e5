"""One module per `wol` verb (as mkdocs/commands/): each does the work of one command; cli.py only parses and prints."""

"""Serve the chat UI: builds the index if missing or stale, then listens on http://127.0.0.1:7860.

Options: python app.py [--host H] [--port P] [--auth-env VAR | --auth-file FILE] [--insecure]
"""
import sys

from assistant.app.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))

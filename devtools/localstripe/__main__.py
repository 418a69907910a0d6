"""`python -m devtools.localstripe --port 8420`: see server.py."""
from .server import main

main()

class ParseError(Exception):
    """A reply document that cannot be read; the message names the problem for the user."""

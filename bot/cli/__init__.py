"""Command-line commands, one module per group; ``bot.__main__`` only wires them."""

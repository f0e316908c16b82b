"""The console script's entry point; the commands live in the private package ``_cli``."""

from shotrelay._cli import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()

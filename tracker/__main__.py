"""`python -m tracker`: the command line (tracker/cli/).

Loading its modules takes a second or so; Ctrl-C meanwhile stops it before
any command has begun, said in one line rather than a traceback of the import
machinery. Once loaded, a command stopped by Ctrl-C says so in one line
(tracker.cli.common.handle_errors), and the long commands stop in their own
way, saying what they kept (tracker/cli/stop_signals.py).
"""

import sys

if __name__ == "__main__":
    try:
        from tracker.cli import cli
    except KeyboardInterrupt:
        sys.stderr.write("Stopped (Ctrl-C) while starting, before the command began: nothing was changed.\n")
        sys.exit(1)
    cli()

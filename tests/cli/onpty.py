#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a person at a terminal would.

    onpty.py [--stdout FILE] [--screen FILE] [--cols N] TERMFILE CMD [ARGS...]

stdin, stderr (and stdout, unless --stdout sends it to FILE) are the
terminal; every byte the command writes to the terminal is saved in TERMFILE
as written (no \\n -> \\r\\n: the terminal's output post-processing is off).
--screen writes what a person sees at the end: each line as \\r (back to
its start) and later characters overwrote it, colour codes left out,
trailing blanks removed.  Exits with the command's exit status.
"""
import fcntl
import os
import re
import pty
import struct
import sys
import termios
import unicodedata


def screen(text):
    """The lines a terminal shows after text: \\r returns to the line's
    start, a wide (CJK) character takes two columns."""
    text = re.sub("\x1b\\[[0-9;]*[A-Za-z]", "", text)
    lines = []
    for raw in text.split("\n"):
        cells, col = [], 0
        for ch in raw:
            if ch == "\r":
                col = 0
                continue
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            while len(cells) < col + w:
                cells.append(" ")
            cells[col] = ch
            if w == 2:
                cells[col + 1] = ""
            col += w
        lines.append("".join(cells).rstrip(" "))
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    out_file = None
    screen_file = None
    cols = 100
    while args and args[0].startswith("--"):
        if args[0] == "--stdout":
            out_file = args[1]
            args = args[2:]
        elif args[0] == "--screen":
            screen_file = args[1]
            args = args[2:]
        elif args[0] == "--cols":
            cols = int(args[1])
            args = args[2:]
        else:
            sys.exit("onpty.py: unknown option " + args[0])
    term_file, cmd = args[0], args[1:]
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        os.dup2(slave, 0)
        os.dup2(slave, 2)
        if out_file:
            fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.close(fd)
        else:
            os.dup2(slave, 1)
        os.close(master)
        os.close(slave)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(slave)
    got = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        got += chunk
    _, status = os.waitpid(pid, 0)
    with open(term_file, "wb") as f:
        f.write(got)
    if screen_file:
        with open(screen_file, "w", encoding="utf-8") as f:
            f.write(screen(got.decode("utf-8", "replace")))
    sys.exit(os.waitstatus_to_exitcode(status))


main()

import sys


def solve():
    line = "B" * 1023 + "\n"
    block = line * 1024
    for _ in range(1024):
        sys.stdout.write(block)
    return 42

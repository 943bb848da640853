def solve():
    return 0

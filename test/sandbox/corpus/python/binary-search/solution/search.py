def find(seq, x):
    lo, hi = 0, len(seq) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if seq[mid] == x:
            return mid
        if seq[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

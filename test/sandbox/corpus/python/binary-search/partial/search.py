def find(seq, x):
    return seq.index(x)

def find(seq, x):
    raise NotImplementedError

from collections import OrderedDict


class LRUCache:
    """Evicts the oldest insertion (FIFO), not the least recently used."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.items = OrderedDict()

    def get(self, key):
        return self.items.get(key)

    def put(self, key, value):
        self.items[key] = value
        if len(self.items) > self.capacity:
            self.items.popitem(last=False)

package stack;

import java.util.ArrayList;
import java.util.List;

// ignores the capacity, and an empty pop throws the list's exception
public class BoundedStack<T> {
    private final List<T> items = new ArrayList<>();

    public BoundedStack(int capacity) {}

    public void push(T item) {
        items.add(item);
    }

    public T pop() {
        return items.remove(items.size() - 1);
    }

    public T peek() {
        return items.get(items.size() - 1);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}

package stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;

public class BoundedStack<T> {
    private final int capacity;
    private final Deque<T> items = new ArrayDeque<>();

    public BoundedStack(int capacity) {
        this.capacity = capacity;
    }

    public void push(T item) {
        if (items.size() == capacity) throw new IllegalStateException("stack is full");
        items.push(item);
    }

    public T pop() {
        if (items.isEmpty()) throw new NoSuchElementException("stack is empty");
        return items.pop();
    }

    public T peek() {
        if (items.isEmpty()) throw new NoSuchElementException("stack is empty");
        return items.peek();
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}

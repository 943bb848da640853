package stack;

public class BoundedStack<T> {
    public BoundedStack(int capacity) {}

    public void push(T item) {
        throw new UnsupportedOperationException("TODO");
    }

    public T pop() {
        throw new UnsupportedOperationException("TODO");
    }

    public T peek() {
        throw new UnsupportedOperationException("TODO");
    }

    public int size() {
        throw new UnsupportedOperationException("TODO");
    }

    public boolean isEmpty() {
        throw new UnsupportedOperationException("TODO");
    }
}
